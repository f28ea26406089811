//! The dry-run plan names what the real run will meet: a profile renamed by an earlier
//! row of the same file is named as renamed (found by the differential test: the plan
//! named a conflict's candidate as the store held it before the import).

use crate::common::Env;

#[test]
fn a_candidate_renamed_by_an_earlier_row_is_named_as_renamed() {
    let env = Env::new();
    let first = env.file("first.csv", "external_id,email,name\ne1,shared@x.io,\n");
    env.import(&first, "hr", &[]);
    assert_eq!(env.show("hr:e1")["name"], "shared", "named from the email");
    // Row 1 renames the profile; row 2, another hr account with its email, meets it as
    // the candidate of a same_system conflict.
    let second = env.file(
        "second.csv",
        "external_id,email,name\ne1,shared@x.io,Ann Lee\nx-9,shared@x.io,Bo\n",
    );
    let dry = env.import(&second, "hr", &["--dry-run"]);
    let plan = dry["plan"].as_array().unwrap();
    assert_eq!(plan[1]["outcome"], "same_system", "{dry}");
    assert_eq!(
        plan[1]["candidates"],
        serde_json::json!([{"id": 1, "name": "Ann Lee"}]),
        "{dry}"
    );
    let human = env.ok(&[
        "import",
        second.to_str().unwrap(),
        "--system",
        "hr",
        "--dry-run",
    ]);
    assert!(human.contains("Ann Lee (#1)"), "{human}");
    // The real run says the same.
    let real = env.ok(&["import", second.to_str().unwrap(), "--system", "hr"]);
    assert!(real.contains("Ann Lee (#1)"), "{real}");
}
