//! `roster pull`: the real binary against a stub of each vendor's API on 127.0.0.1,
//! replaying the vendors' documented answers: many pages, rate limits, server errors,
//! refused tokens, timeouts, malformed pages; all-or-nothing; the token kept secret.

#[path = "../common/mod.rs"]
mod common;

mod answers;
mod cases;
mod rules;
mod secrets;
mod stub;
mod vendors;

use common::{Env, Run};

/// A store and a roster.toml whose sources point at stubs.
pub struct Setup {
    pub env: Env,
    pub config: std::path::PathBuf,
}

pub const TOKEN: &str = "pat-na1-7f3c1e2a-9b4d-4c8e-a1f0-SECRET";

impl Setup {
    /// `sources` is the text of the [sources.*] tables.
    pub fn new(sources: &str) -> Setup {
        let env = Env::new();
        let config = env.file("roster.toml", sources);
        Setup { env, config }
    }

    /// `roster --config roster.toml ARGS` with the token in ROSTER_TEST_TOKEN.
    pub fn run(&self, args: &[&str]) -> Run {
        let config = self.config.clone();
        self.env.run_with(args, |c| {
            c.arg("--config")
                .arg(&config)
                .env("ROSTER_TEST_TOKEN", TOKEN)
                .env_remove("ROSTER_CONFIG")
                .env_remove("http_proxy")
                .env_remove("HTTP_PROXY")
                .env_remove("ALL_PROXY");
        })
    }

    /// A pull that must succeed; its JSON report.
    pub fn pull(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["pull"];
        all.extend_from_slice(args);
        all.push("--json");
        let run = self.run(&all);
        assert_eq!(run.code, 0, "roster {all:?}: {}", run.stderr);
        run.json()
    }

    /// A pull that must fail with `code`; its stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let mut all = vec!["pull"];
        all.extend_from_slice(args);
        let run = self.run(&all);
        assert_eq!(
            run.code, code,
            "roster {all:?}: stdout {} stderr {}",
            run.stdout, run.stderr
        );
        assert!(run.stderr.starts_with("roster: "), "{}", run.stderr);
        run.stderr
    }
}

/// A source table pointing at `url`.
pub fn source(name: &str, system: &str, url: &str, extra: &str) -> String {
    format!(
        "[sources.{name}]\nsystem = \"{system}\"\nbase_url = \"{url}\"\ntoken_env = \"ROSTER_TEST_TOKEN\"\n{extra}\n"
    )
}
