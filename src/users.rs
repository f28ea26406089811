//! Unix users and groups, always by number: who this process is (never from `$USER`,
//! which anyone can set), the names that go with uids and gids, a group's members.
//! A uid or gid with no name is shown as its number (a box may run roster for users that
//! exist only as numbers, e.g. from a directory service that is down).

use nix::unistd::{Gid, Group, Uid, User, getegid, geteuid, getgroups};

/// This process's effective uid.
pub fn uid() -> u32 {
    geteuid().as_raw()
}

/// The name of `uid`, or its number when it has none.
pub fn user_name(uid: u32) -> String {
    match User::from_uid(Uid::from_raw(uid)) {
        Ok(Some(u)) if !u.name.is_empty() => u.name,
        _ => uid.to_string(),
    }
}

/// The name of `gid`, or its number when it has none.
pub fn group_name(gid: u32) -> String {
    match Group::from_gid(Gid::from_raw(gid)) {
        Ok(Some(g)) if !g.name.is_empty() => g.name,
        _ => gid.to_string(),
    }
}

/// The uid a user name or a number stands for; `None` for an unknown name.
pub fn uid_of(user: &str) -> Option<u32> {
    if let Ok(n) = user.trim().parse::<u32>() {
        return Some(n);
    }
    User::from_name(user.trim())
        .ok()
        .flatten()
        .map(|u| u.uid.as_raw())
}

/// The gid a group name or a number stands for; `None` for an unknown name.
pub fn gid_of(group: &str) -> Option<u32> {
    if let Ok(n) = group.trim().parse::<u32>() {
        return Some(n);
    }
    Group::from_name(group.trim())
        .ok()
        .flatten()
        .map(|g| g.gid.as_raw())
}

/// The members the group database lists for `gid` (users whose primary group it is are
/// not listed there; the caller names the store's owner beside them).
pub fn group_members(gid: u32) -> Vec<String> {
    match Group::from_gid(Gid::from_raw(gid)) {
        Ok(Some(g)) => g.mem,
        _ => Vec::new(),
    }
}

/// Whether this process belongs to `gid` (its effective group or a supplementary one).
pub fn in_group(gid: u32) -> bool {
    getegid().as_raw() == gid
        || getgroups().is_ok_and(|groups| groups.iter().any(|g| g.as_raw() == gid))
}

/// Whether this process runs as root (which no file mode stops).
pub fn is_root() -> bool {
    geteuid().is_root()
}
