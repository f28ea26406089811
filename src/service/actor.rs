//! Who is acting, from the operating system rather than from anything the user typed.

use crate::domain::audit::Actor;

/// The OS user of this process, by uid (not `$USER`, which anyone can set); a uid with
/// no name is its number.
pub fn os_user() -> String {
    crate::users::user_name(crate::users::uid())
}

/// The SSH client address, when this runs in an SSH session (`SSH_CLIENT` is
/// "address port localport").
pub fn ssh_client() -> Option<String> {
    std::env::var("SSH_CLIENT")
        .ok()
        .and_then(|v| v.split_whitespace().next().map(str::to_owned))
        .filter(|a| !a.is_empty())
}

/// The actor of this process; `--actor` names who acts, recorded beside the OS user.
pub fn current(given: Option<&str>) -> Actor {
    let os_user = os_user();
    Actor {
        name: given
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .map(str::to_owned)
            .unwrap_or_else(|| os_user.clone()),
        os_user,
        ssh_client: ssh_client(),
    }
}
