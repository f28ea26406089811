//! Who is acting, from the operating system rather than from anything the user typed.

use crate::domain::audit::Actor;

/// The OS user of this process (by uid, not `$USER`, which anyone can set).
pub fn os_user() -> String {
    // SAFETY: getpwuid_r is given a buffer it owns for the call; the result pointer is
    // only read when the call succeeded and points into `pwd`/`buf`.
    unsafe {
        let uid = libc::geteuid();
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut buf = vec![0 as libc::c_char; 4096];
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let rc = libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result);
        if rc == 0
            && !result.is_null()
            && !pwd.pw_name.is_null()
            && let Ok(name) = std::ffi::CStr::from_ptr(pwd.pw_name).to_str()
        {
            return name.to_owned();
        }
        format!("uid{uid}")
    }
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
