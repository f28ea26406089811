//! The presets: one entry per kind of export roster reads without a `--map`. Adding a
//! preset is adding an entry here (and its tests); docs/import.md "How to add a
//! preset" walks through one. Names are lower-case; a dotted name is a path into
//! nested JSON objects. Each entry cites where its shape comes from.

use super::id_shape::Shape;
use super::preset::Target::*;
use super::preset::{Def, Skip, When, Words};

pub static TABLE: &[Def] = &[
    Def {
        key: "generic",
        systems: &[],
        what: "a file with the generic columns",
        fields: &[
            (ExternalId, &["external_id", "id"]),
            (Email, &["email"]),
            (Name, &["name"]),
            (FirstName, &["first_name"]),
            (LastName, &["last_name"]),
            (Picture, &["picture_url"]),
            (Active, &["active"]),
        ],
        words: &[],
        signature: &[],
        marks: &[],
        skip: &[],
        id_shape: Shape::Any,
        footer: false,
    },
    // The User object as Data Loader (API names, upper-cased), Workbench and the REST API
    // (query answers, `sf data query --json`, one record) give it, and report exports
    // (labels, 15-character IDs, a footer).
    Def {
        key: "salesforce",
        systems: &["salesforce"],
        what: "a Salesforce User export",
        fields: &[
            (ExternalId, &["id", "user id"]),
            (Email, &["email"]),
            (Name, &["name", "full name"]),
            (FirstName, &["firstname", "first name"]),
            (LastName, &["lastname", "last name"]),
            (
                Picture,
                &[
                    "fullphotourl",
                    "full photo url",
                    "smallphotourl",
                    "small photo url",
                ],
            ),
            (Active, &["isactive", "active"]),
        ],
        words: &[],
        signature: &[
            "email",
            "name",
            "full name",
            "firstname",
            "first name",
            "lastname",
            "last name",
            "username",
            "isactive",
            "active",
        ],
        marks: &[
            "attributes",
            "username",
            "isactive",
            "fullphotourl",
            "smallphotourl",
            "profileid",
            "userroleid",
            "user id",
            "timezonesidkey",
        ],
        // Integration, Automated Process, guest, portal and Chatter-only users.
        skip: &[
            Skip {
                name: "usertype",
                when: When::IsNot(&["Standard"]),
                reason: "not a Standard user (UserType {})",
            },
            Skip {
                name: "user type",
                when: When::IsNot(&["Standard"]),
                reason: "not a Standard user (User Type {})",
            },
        ],
        id_shape: Shape::SalesforceUser,
        footer: true,
    },
    // CRM owners v3 (`{"results": [...], "paging": ...}`, ids are strings) and the legacy
    // owners v2 (an array; `ownerId` a number, `isActive`, `remoteList`).
    Def {
        key: "hubspot",
        systems: &["hubspot"],
        what: "a HubSpot owners answer",
        fields: &[
            (ExternalId, &["id", "ownerid"]),
            (Email, &["email"]),
            (FirstName, &["firstname"]),
            (LastName, &["lastname"]),
            (Active, &["isactive"]),
            (Inactive, &["archived"]),
        ],
        words: &[],
        signature: &["firstname", "lastname", "archived", "userid"],
        marks: &[
            "archived",
            "userid",
            "useridincludinginactive",
            "ownerid",
            "portalid",
            "remotelist",
            "activeuserid",
        ],
        skip: &[Skip {
            name: "type",
            when: When::IsNot(&["PERSON"]),
            reason: "not a person (type {})",
        }],
        id_shape: Shape::Decimal,
        footer: false,
    },
    // Users API v1: `{"success": true, "data": [...]}`, ids are numbers.
    Def {
        key: "pipedrive",
        systems: &["pipedrive"],
        what: "a Pipedrive users answer",
        fields: &[
            (ExternalId, &["id"]),
            (Email, &["email"]),
            (Name, &["name"]),
            (Picture, &["icon_url"]),
            (Active, &["active_flag"]),
        ],
        words: &[],
        signature: &["active_flag", "icon_url", "is_admin", "role_id"],
        marks: &[
            "active_flag",
            "icon_url",
            "is_admin",
            "role_id",
            "has_created_company",
            "is_you",
        ],
        skip: &[],
        id_shape: Shape::Decimal,
        footer: false,
    },
    // Microsoft Graph `GET /users` (`{"@odata.context": …, "value": [...]}`) and the Entra
    // admin center's Users › Download users CSV (`id`, formerly `objectId`).
    Def {
        key: "entra",
        systems: &["entra"],
        what: "a Microsoft Entra ID users export",
        fields: &[
            (ExternalId, &["id", "objectid"]),
            (Email, &["mail"]),
            (EmailFallback, &["userprincipalname"]),
            (Name, &["displayname"]),
            (FirstName, &["givenname"]),
            (LastName, &["surname"]),
            (Active, &["accountenabled"]),
        ],
        words: &[],
        signature: &[
            "userprincipalname",
            "displayname",
            "accountenabled",
            "givenname",
            "surname",
            "mail",
        ],
        marks: &["userprincipalname", "accountenabled", "objectid"],
        // Guests and other outsiders (B2B accounts carry #EXT# in their sign-in name).
        skip: &[
            Skip {
                name: "usertype",
                when: When::Is(&["Guest"]),
                reason: "a guest (userType Guest)",
            },
            Skip {
                name: "userprincipalname",
                when: When::Contains("#EXT#"),
                reason: "an external account (#EXT# in userPrincipalName)",
            },
        ],
        id_shape: Shape::Guid,
        footer: false,
    },
    // Okta `GET /api/v1/users`: an array; name and email under `profile`.
    Def {
        key: "okta",
        systems: &["okta"],
        what: "an Okta users answer",
        fields: &[
            (ExternalId, &["id"]),
            (Email, &["profile.email"]),
            (FirstName, &["profile.firstname"]),
            (LastName, &["profile.lastname"]),
            (Active, &["status"]),
        ],
        words: &[(
            Active,
            Words {
                yes: &["ACTIVE", "PASSWORD_EXPIRED", "LOCKED_OUT", "RECOVERY"],
                no: Some(&["STAGED", "PROVISIONED", "SUSPENDED", "DEPROVISIONED"]),
            },
        )],
        signature: &["profile.login", "profile.email", "statuschanged"],
        marks: &["profile.login", "statuschanged", "passwordchanged"],
        skip: &[],
        id_shape: Shape::OktaUser,
        footer: false,
    },
    // Google Workspace admin console, Directory › Users › Download users (CSV).
    Def {
        key: "google",
        systems: &["google"],
        what: "a Google Workspace users download",
        fields: &[
            (ExternalId, &["id", "email address [required]"]),
            (Email, &["email address [required]"]),
            (FirstName, &["first name [required]"]),
            (LastName, &["last name [required]"]),
            (Active, &["status [read only]"]),
        ],
        words: &[(
            Active,
            Words {
                yes: &["Active"],
                no: Some(&["Suspended", "Archived"]),
            },
        )],
        signature: &[
            "first name [required]",
            "last name [required]",
            "status [read only]",
            "org unit path [required]",
        ],
        marks: &[
            "first name [required]",
            "last name [required]",
            "status [read only]",
            "org unit path [required]",
        ],
        skip: &[],
        id_shape: Shape::Any,
        footer: false,
    },
    // Slack `users.list`: `{"ok": true, "members": [...], "response_metadata": …}`.
    Def {
        key: "slack",
        systems: &["slack"],
        what: "a Slack users.list answer",
        fields: &[
            (ExternalId, &["id"]),
            (Email, &["profile.email"]),
            (Name, &["profile.real_name", "real_name"]),
            (Picture, &["profile.image_192"]),
            (Inactive, &["deleted"]),
        ],
        words: &[],
        signature: &[
            "profile.real_name",
            "real_name",
            "is_bot",
            "team_id",
            "deleted",
        ],
        marks: &["is_bot", "team_id", "profile.real_name", "is_restricted"],
        skip: &[
            Skip {
                name: "is_bot",
                when: When::True,
                reason: "a bot (is_bot)",
            },
            Skip {
                name: "id",
                when: When::Is(&["USLACKBOT"]),
                reason: "Slackbot",
            },
            Skip {
                name: "is_restricted",
                when: When::True,
                reason: "a guest (is_restricted)",
            },
            Skip {
                name: "is_ultra_restricted",
                when: When::True,
                reason: "a single-channel guest (is_ultra_restricted)",
            },
        ],
        id_shape: Shape::SlackUser,
        footer: false,
    },
    // Zendesk `GET /api/v2/users`: `{"users": [...], "next_page": …, "count": …}`; ids are
    // (big) numbers.
    Def {
        key: "zendesk",
        systems: &["zendesk"],
        what: "a Zendesk users answer",
        fields: &[
            (ExternalId, &["id"]),
            (Email, &["email"]),
            (Name, &["name"]),
            (Picture, &["photo.content_url"]),
            (Active, &["active"]),
            (Inactive, &["suspended"]),
        ],
        words: &[],
        signature: &["role", "suspended", "shared_agent", "ticket_restriction"],
        marks: &[
            "shared_agent",
            "ticket_restriction",
            "role_type",
            "suspended",
        ],
        skip: &[Skip {
            name: "role",
            when: When::Is(&["end-user"]),
            reason: "an end-user (a customer, not staff)",
        }],
        id_shape: Shape::Decimal,
        footer: false,
    },
    // roster's own connections export (`roster export --connections`, domain/export.rs):
    // restored whole into an empty store by service/restore.rs, never read row by row
    // as one system's records.
    Def {
        key: "roster",
        systems: &["roster"],
        what: "a roster connections export",
        fields: &[
            (ExternalId, &["external_id"]),
            (Email, &["email"]),
            (Name, &["name"]),
            (Picture, &["picture_url"]),
            (Active, &["active"]),
        ],
        words: &[],
        signature: &["employee_id"],
        marks: &["employee_id", "origin", "matched_value"],
        skip: &[],
        id_shape: Shape::Any,
        footer: false,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::preset::Preset;

    /// The table is well formed: unique keys and system keys, lower-case names, every
    /// preset has an ID and every system a display name of its own.
    #[test]
    fn the_table_is_well_formed() {
        let mut keys = std::collections::HashSet::new();
        let mut systems = std::collections::HashSet::new();
        for d in TABLE {
            assert!(keys.insert(d.key), "{} twice", d.key);
            for s in d.systems {
                assert!(systems.insert(*s), "system {s} in two presets");
                assert!(crate::domain::system::validate_key(s).is_ok());
            }
            let p = Preset::parse(d.key).unwrap();
            assert!(!p.names_of(ExternalId).is_empty(), "{} has no ID", d.key);
            for n in p.all_names() {
                assert_eq!(n, n.to_lowercase(), "{}: {n}", d.key);
            }
            for (t, _) in d.words {
                assert!(matches!(t, Active | Inactive), "{}", d.key);
            }
        }
    }
}
