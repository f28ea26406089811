//! The shapes of the IDs of known systems (docs/import.md "The right system's file"):
//! an import for such a system refuses IDs that cannot be that system's, so that
//! another system's file is not taken for it.

use crate::domain::system::salesforce_checksum;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Anything goes.
    Any,
    /// Salesforce User IDs: 15 or 18 characters `[0-9A-Za-z]`, starting with the User
    /// key prefix `005`; the 18-character form ends with the checksum of the first 15.
    SalesforceUser,
    /// Decimal integers (HubSpot owners, Pipedrive and Zendesk users).
    Decimal,
    /// Microsoft Entra object IDs: GUIDs.
    Guid,
    /// Okta user IDs: 20 letters and digits starting with `00u`.
    OktaUser,
    /// Slack user IDs: `U` or `W` followed by upper-case letters and digits.
    SlackUser,
}

impl Shape {
    /// What IDs of this shape are, for messages ("numeric ids").
    pub fn describe(self) -> &'static str {
        match self {
            Shape::Any => "ids",
            Shape::SalesforceUser => "Salesforce User ids (005…)",
            Shape::Decimal => "numeric ids",
            Shape::Guid => "GUIDs as ids",
            Shape::OktaUser => "Okta user ids (00u…)",
            Shape::SlackUser => "Slack user ids (U…)",
        }
    }

    /// What an ID of this shape is, for the sentence that refuses one.
    fn rule(self) -> &'static str {
        match self {
            Shape::Any => "",
            Shape::SalesforceUser => {
                "a Salesforce User ID is 15 or 18 letters and digits starting with 005"
            }
            Shape::Decimal => "its IDs are whole numbers",
            Shape::Guid => "its IDs are GUIDs (8-4-4-4-12 hexadecimal digits)",
            Shape::OktaUser => "an Okta user ID is 20 letters and digits starting with 00u",
            Shape::SlackUser => {
                "a Slack user ID is U or W followed by upper-case letters and digits"
            }
        }
    }

    /// Whether `id` (trimmed) has this shape; `Err` says why not, as a phrase that
    /// follows "the external ID 'x' …".
    pub fn check(self, id: &str) -> Result<(), String> {
        let b = id.as_bytes();
        let fits = match self {
            Shape::Any => true,
            Shape::SalesforceUser => {
                let alnum = b.iter().all(u8::is_ascii_alphanumeric);
                if alnum && b.len() == 18 && id.starts_with("005") {
                    let sum = salesforce_checksum(&id[..15]).unwrap_or_default();
                    if sum != b[15..] {
                        return Err(format!(
                            "is not a Salesforce ID: its last three characters are not the checksum of the first 15 (expected {}; was the case of its letters changed, e.g. by a spreadsheet?)",
                            String::from_utf8_lossy(&sum)
                        ));
                    }
                    true
                } else {
                    alnum && (b.len() == 15 || b.len() == 18) && id.starts_with("005")
                }
            }
            Shape::Decimal => !b.is_empty() && b.iter().all(u8::is_ascii_digit),
            Shape::Guid => {
                b.len() == 36
                    && b.iter().enumerate().all(|(i, c)| match i {
                        8 | 13 | 18 | 23 => *c == b'-',
                        _ => c.is_ascii_hexdigit(),
                    })
            }
            Shape::OktaUser => {
                b.len() == 20 && id.starts_with("00u") && b.iter().all(u8::is_ascii_alphanumeric)
            }
            Shape::SlackUser => {
                b.len() >= 3
                    && matches!(b[0], b'U' | b'W')
                    && b[1..]
                        .iter()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            }
        };
        if fits {
            Ok(())
        } else {
            Err(format!("does not fit: {}", self.rule()))
        }
    }

    /// The shapes an ID could have, for telling what a file looks like.
    pub fn fits(self, id: &str) -> bool {
        self != Shape::Any && self.check(id).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salesforce_user_ids() {
        let s = Shape::SalesforceUser;
        assert!(s.check("0055g00000ABcdE").is_ok());
        assert!(s.check("0055g00000ABcdEAAT").is_ok());
        // An Account ID (001…), a HubSpot owner ID, a lower-cased 18-character ID.
        assert!(s.check("001A0000006Vm9rIAC").is_err());
        assert!(s.check("41629779").is_err());
        let e = s.check("0055g00000abcdeaat").unwrap_err();
        assert!(e.contains("not the checksum"), "{e}");
        assert!(
            s.check("0055g00000ABcdEAAA")
                .unwrap_err()
                .contains("expected AAT")
        );
        assert!(s.check("0055g00000ABcd-").is_err());
    }

    #[test]
    fn other_shapes() {
        assert!(Shape::Decimal.check("12345").is_ok());
        assert!(
            Shape::Decimal
                .check("123456789012345678901234567890")
                .is_ok()
        );
        assert!(Shape::Decimal.check("h-1").is_err());
        assert!(Shape::Decimal.check("0055g00000ABcdE").is_err());
        assert!(
            Shape::Guid
                .check("87d349ed-44d7-43e1-9a83-5f2406dee5bd")
                .is_ok()
        );
        assert!(
            Shape::Guid
                .check("87d349ed44d743e19a835f2406dee5bd")
                .is_err()
        );
        assert!(Shape::OktaUser.check("00ub0oNGTSWTBKOLGLNR").is_ok());
        assert!(Shape::OktaUser.check("00gb0oNGTSWTBKOLGLNR").is_err());
        assert!(Shape::SlackUser.check("W012A3CDE").is_ok());
        assert!(Shape::SlackUser.check("U0G9QF9C6").is_ok());
        assert!(Shape::SlackUser.check("C0G9QF9C6").is_err());
        assert!(Shape::Any.check("anything").is_ok());
        assert!(!Shape::Any.fits("anything"));
    }

    /// Each rule at its edges: lengths one short and one long, a character of the wrong
    /// kind where one of the right kind belongs, the prefixes.
    #[test]
    fn every_shape_at_its_edges() {
        let ok = |s: Shape, id: &str| s.check(id).is_ok();
        let sf = Shape::SalesforceUser;
        assert!(!ok(sf, "0055g00000ABcd"), "14 characters");
        assert!(!ok(sf, "0055g00000ABcdEA"), "16 characters");
        assert!(!ok(sf, "0015g00000ABcdE"), "an Account ID");
        assert!(!ok(sf, "0055g00000ABcd!"), "not alphanumeric");
        assert!(!ok(sf, "0015g00000ABcdEAAT"), "18, an Account ID");
        assert!(!ok(sf, "0055g00000ABcd-AAT"), "18, not alphanumeric");
        assert_eq!(
            sf.check("0055g00000ABcdEAAX").unwrap_err(),
            "is not a Salesforce ID: its last three characters are not the checksum of the first 15 (expected AAT; was the case of its letters changed, e.g. by a spreadsheet?)"
        );
        assert_eq!(
            sf.check("41629779").unwrap_err(),
            "does not fit: a Salesforce User ID is 15 or 18 letters and digits starting with 005"
        );
        assert!(!ok(Shape::Decimal, ""));
        assert!(!ok(Shape::Decimal, "12 34"));
        assert!(!ok(Shape::Decimal, "-12"));
        assert_eq!(
            Shape::Decimal.check("h-1").unwrap_err(),
            "does not fit: its IDs are whole numbers"
        );
        let guid = "87D349ED-44d7-43e1-9a83-5f2406dee5bd";
        assert!(ok(Shape::Guid, guid));
        assert!(!ok(Shape::Guid, &guid[1..]));
        assert!(!ok(Shape::Guid, &format!("{guid}0")));
        assert!(!ok(Shape::Guid, "87d349ed-44d7-43e1-9a83-5f2406dee5bg"));
        assert!(!ok(Shape::Guid, "87d349ed-44d7-43e1-9a83+5f2406dee5bd"));
        assert!(!ok(Shape::Guid, "87d349ed044d7-43e1-9a83-5f2406dee5bd"));
        assert!(!ok(Shape::Guid, "87d349ed-44d7-43e1-9a8-35f2406dee5bd"));
        assert_eq!(
            Shape::Guid.check("w-1").unwrap_err(),
            "does not fit: its IDs are GUIDs (8-4-4-4-12 hexadecimal digits)"
        );
        assert!(!ok(Shape::OktaUser, "00ub0oNGTSWTBKOLGLN"), "19 characters");
        assert!(
            !ok(Shape::OktaUser, "00ub0oNGTSWTBKOLGLNRX"),
            "21 characters"
        );
        assert!(
            !ok(Shape::OktaUser, "00ub0oNGTSWTBKOLGL-R"),
            "not alphanumeric"
        );
        assert_eq!(
            Shape::OktaUser.check("w-1").unwrap_err(),
            "does not fit: an Okta user ID is 20 letters and digits starting with 00u"
        );
        assert!(ok(Shape::SlackUser, "U01"));
        assert!(!ok(Shape::SlackUser, "U0"));
        assert!(!ok(Shape::SlackUser, ""));
        assert!(!ok(Shape::SlackUser, "U0g9QF9C6"), "a lower-case letter");
        assert!(!ok(Shape::SlackUser, "U0G9QF9C-"));
        assert_eq!(
            Shape::SlackUser.check("w-1").unwrap_err(),
            "does not fit: a Slack user ID is U or W followed by upper-case letters and digits"
        );
        assert!(Shape::Decimal.fits("12345"));
        assert!(!Shape::Decimal.fits("h-1"));
        assert!(Shape::Guid.fits(guid));
    }

    /// How a message names IDs of each shape ("this looks like …: numeric ids").
    #[test]
    fn shapes_are_described_for_messages() {
        let described: Vec<&str> = [
            Shape::Any,
            Shape::SalesforceUser,
            Shape::Decimal,
            Shape::Guid,
            Shape::OktaUser,
            Shape::SlackUser,
        ]
        .iter()
        .map(|s| s.describe())
        .collect();
        assert_eq!(
            described,
            [
                "ids",
                "Salesforce User ids (005…)",
                "numeric ids",
                "GUIDs as ids",
                "Okta user ids (00u…)",
                "Slack user ids (U…)"
            ]
        );
    }
}
