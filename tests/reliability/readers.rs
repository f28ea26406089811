//! Findings of the outside review about the import readers (issue 11 items 8, 9, 11, 16,
//! 17) and issue 12 item 9, each reproduced through the real binary. Every test failed
//! before its fix; docs/reliability.md lists them.

use crate::common;

use common::Env;
use serde_json::json;

/// Runs `roster import FILE --system S` that must be refused; returns stderr.
fn refused(env: &Env, name: &str, content: impl AsRef<[u8]>, system: &str) -> String {
    let f = env.file(name, content);
    let err = env.fails(&["import", f.to_str().unwrap(), "--system", system], 2);
    assert!(env.list().is_empty(), "nothing was written: {err}");
    err
}

/// Item 8. `[{"external_id": "1", "email": "a@…", "email": "b@…"}]` was imported with
/// the first email (jq and Python keep the last): refused, naming the key.
#[test]
fn repeated_json_keys_are_refused_naming_the_key() {
    let env = Env::new();
    let err = refused(
        &env,
        "dup.json",
        r#"[{"external_id": "1", "email": "first@acme.example", "name": "A", "email": "last@acme.example"}]"#,
        "hris",
    );
    assert!(
        err.contains("row 1: the key \"email\" appears twice in this record"),
        "{err}"
    );
    // In NDJSON, in a nested object, and the answer's own keys.
    let err = refused(
        &env,
        "dup.ndjson",
        "{\"id\": \"00u1a2b3c4d5E6F7g8h9\", \"status\": \"ACTIVE\", \"profile\": {\"email\": \"a@acme.example\", \"login\": \"a@acme.example\"}}\n{\"id\": \"00u2b3c4d5e6F7G8h9i0\", \"status\": \"ACTIVE\", \"profile\": {\"email\": \"b@acme.example\", \"Email\": \"c@acme.example\", \"login\": \"b@acme.example\"}}\n",
        "okta",
    );
    assert!(
        err.contains("row 2 (line 2): the key \"profile.email\" appears twice"),
        "{err}"
    );
    let err = refused(
        &env,
        "dup-answer.json",
        r#"{"results": [{"id": "1", "firstName": "A", "lastName": "B"}], "paging": {}, "results": [{"id": "2", "firstName": "C", "lastName": "D"}]}"#,
        "hubspot",
    );
    assert!(
        err.contains("the key \"results\" appears twice in the top-level object"),
        "{err}"
    );
    // A repeated key roster does not read changes nothing and is let through.
    let f = env.file(
        "other.json",
        r#"[{"external_id": "1", "title": "AE", "title": "SDR"}]"#,
    );
    assert_eq!(env.import(&f, "hris", &[])["created"], 1);
}

/// Item 8. `external_id,email,Email` read the first email column: refused, naming it.
#[test]
fn repeated_csv_columns_are_refused_naming_the_column() {
    let env = Env::new();
    let err = refused(
        &env,
        "dup.csv",
        "external_id,email,name,Email\n1,first@acme.example,A,last@acme.example\n",
        "hris",
    );
    assert!(
        err.contains("has the column 'Email' twice (columns 2 and 4)"),
        "{err}"
    );
    // Columns roster does not read may repeat (report exports do that).
    let f = env.file(
        "ok.csv",
        "external_id,Note,email,Note\n1,a,x@acme.example,b\n",
    );
    assert_eq!(env.import(&f, "hris", &[])["created"], 1);
}

/// Item 9. `{"id": 18446744073709551616}` and `{"id": 18446744073709551617}` went
/// through f64 and became one account: IDs are taken as their exact digits.
#[test]
fn json_integer_ids_past_64_bits_keep_their_digits() {
    let env = Env::new();
    let f = env.file(
        "ids.json",
        r#"[{"external_id": 18446744073709551616, "name": "Ada"}, {"external_id": 18446744073709551617, "name": "Ben"}]"#,
    );
    assert_eq!(env.import(&f, "hris", &[])["created"], 2);
    assert_eq!(env.show("hris:18446744073709551617")["name"], "Ben");
    let env = Env::new();
    let f = env.file(
        "users.json",
        r#"{"users": [
            {"id": 18446744073709551616, "name": "Ada One", "email": "ada@acme.example", "role": "agent", "active": true, "suspended": false},
            {"id": 18446744073709551617, "name": "Ben Two", "email": "ben@acme.example", "role": "agent", "active": true, "suspended": false},
            {"id": 123456789012345678901234567890, "name": "Cy Three", "email": "cy@acme.example", "role": "admin", "active": true, "suspended": false}
        ], "next_page": null, "previous_page": null, "count": 3}"#,
    );
    let r = env.import(&f, "zendesk", &[]);
    assert_eq!(r["created"], 3, "{r}");
    assert_eq!(env.show("zendesk:18446744073709551616")["name"], "Ada One");
    assert_eq!(env.show("zendesk:18446744073709551617")["name"], "Ben Two");
    assert_eq!(
        env.show("zendesk:123456789012345678901234567890")["name"],
        "Cy Three"
    );
}

/// Item 11. A CSV without line breaks was held whole (about 6× its size) until the
/// allocator gave up: a record or header past 1 MiB is refused, naming it.
#[test]
fn a_csv_record_or_header_past_one_mib_is_refused_naming_it() {
    let env = Env::new();
    let mut big = b"external_id,email,name\n1,a@acme.example,A\n2,b@acme.example,".to_vec();
    big.extend(std::iter::repeat_n(b'x', 3 << 20));
    let err = refused(&env, "big.csv", &big, "hris");
    assert!(
        err.contains("big.csv: row 2 (line 3) is longer than 1 MiB"),
        "{err}"
    );
    // An unclosed quote running to the end of a long file.
    let mut open = b"external_id,email,name\n1,\"a@acme.example,A\n".to_vec();
    for i in 0..60_000 {
        open.extend_from_slice(format!("{i},p{i}@acme.example,Person {i}\n").as_bytes());
    }
    let err = refused(&env, "open.csv", &open, "hris");
    assert!(
        err.contains("open.csv: row 1 (line 2) is longer than 1 MiB"),
        "{err}"
    );
    let mut header = b"external_id,".to_vec();
    header.extend(std::iter::repeat_n(b'h', 2 << 20));
    let err = refused(&env, "header.csv", &header, "hris");
    assert!(
        err.contains("the header row of") && err.contains("(line 1) is longer than 1 MiB"),
        "{err}"
    );
    // NDJSON lines too.
    let mut nd = b"{\"external_id\": \"1\"}\n{\"external_id\": \"2\", \"name\": \"".to_vec();
    nd.extend(std::iter::repeat_n(b'n', 2 << 20));
    nd.extend_from_slice(b"\"}\n{\"external_id\": \"3\"}\n");
    let err = refused(&env, "big.ndjson", &nd, "hris");
    assert!(
        err.contains("row 2 (line 2): the line is longer than 1 MiB"),
        "{err}"
    );
}

/// Item 16. A one-cell row in the middle of a Salesforce report was dropped without a
/// word: only the footer after the data may be skipped.
#[test]
fn a_one_cell_row_inside_a_salesforce_report_is_a_problem() {
    let env = Env::new();
    let report = "\"User ID\",\"Full Name\",\"Email\",\"Active\"\r\n\
                  \"0055g00000ABcdE\",\"Jane Doe\",\"jane.doe@acme.com\",\"1\"\r\n\
                  \"0055g00000XyZ12\"\r\n\
                  \"0055g00000Qq7rS\",\"Zoë Martin\",\"zoe.martin@acme.com\",\"1\"\r\n\
                  \r\n\
                  \"Active Users\"\r\n\
                  \"Generated By:  Ada Admin  11/20/2025 9:14 AM\"\r\n";
    let err = refused(&env, "report.csv", report, "salesforce");
    assert!(
        err.contains("row 2 (line 3): it has 1 field but the header has 4"),
        "{err}"
    );
    assert!(
        err.contains("has 1 problem"),
        "the footer is still skipped: {err}"
    );
}

/// Item 17. In a CRLF file, row 5 was reported on "line 5" (it is on line 6).
#[test]
fn line_numbers_are_right_in_crlf_files() {
    let env = Env::new();
    let crlf = "external_id,email\r\n1,a@acme.example\r\n2,b@acme.example\r\n3,\"c@acme.example\"\r\n4,d@acme.example\r\n5,bad-address\r\n";
    let err = refused(&env, "crlf.csv", crlf, "hris");
    assert!(
        err.contains("row 5 (line 6): the email 'bad-address'"),
        "{err}"
    );
    // A quoted value over two lines, and a blank line, before the bad row.
    let crlf =
        "external_id,name,email\r\n1,\"Two\r\nLines\",a@acme.example\r\n\r\n2,B,bad-address\r\n";
    let err = refused(&env, "crlf2.csv", crlf, "hris");
    assert!(
        err.contains("row 2 (line 5): the email 'bad-address'"),
        "{err}"
    );
    let lf = crlf.replace("\r\n", "\n");
    let err = refused(&env, "lf.csv", lf, "hris");
    assert!(
        err.contains("row 2 (line 5): the email 'bad-address'"),
        "{err}"
    );
}

/// Issue 12 item 9. A repeated external ID was reported only once its first row's other
/// problem was fixed (two rounds): both are reported at once.
#[test]
fn a_repeated_id_is_reported_even_when_its_first_row_has_another_problem() {
    let env = Env::new();
    let err = refused(
        &env,
        "twice.csv",
        "external_id,email\n7,not-an-address\n8,b@acme.example\n7,c@acme.example\n",
        "hris",
    );
    assert!(err.contains("has 2 problems"), "{err}");
    assert!(
        err.contains("row 1 (line 2): the email 'not-an-address' has no '@'"),
        "{err}"
    );
    assert!(
        err.contains("row 3 (line 4): the external ID '7' appears again (first on row 1)"),
        "{err}"
    );
    let err = refused(
        &env,
        "twice.json",
        json!([{"external_id": "7", "email": "nope"}, {"external_id": "7", "email": "c@acme.example"}]).to_string(),
        "hris",
    );
    assert!(
        err.contains("row 2: the external ID '7' appears again (first on row 1)"),
        "{err}"
    );
}
