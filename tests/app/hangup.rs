//! The app ends when its terminal goes away, also when no SIGHUP arrives (as when tmux's
//! server is killed): before, crossterm spun on empty reads at full CPU for ever.

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_roster");

#[test]
fn the_app_ends_when_its_terminal_hangs_up_without_a_signal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let made = Command::new(BIN)
        .arg("--db")
        .arg(&db)
        .args(["new", "--name", "Someone"])
        .output()
        .unwrap();
    assert!(made.status.success());

    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize {
        ws_row: 24,
        ws_col: 80,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty fills two descriptors that this test owns.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(rc, 0);
    // The app must not hold the master side itself, or it never hangs up.
    unsafe { libc::fcntl(master, libc::F_SETFD, libc::FD_CLOEXEC) };
    let stdio = |fd: i32| unsafe { Stdio::from_raw_fd_dup(fd) };
    let mut cmd = Command::new(BIN);
    cmd.arg("--db")
        .arg(&db)
        .env("TERM", "xterm-256color")
        .stdin(stdio(slave))
        .stdout(stdio(slave))
        .stderr(stdio(slave));
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            // Its own session with the pty as controlling terminal, and SIGHUP blocked,
            // so that the hang-up arrives as nothing but empty reads.
            libc::setsid();
            libc::ioctl(0, libc::TIOCSCTTY, 0);
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, libc::SIGHUP);
            libc::sigprocmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
            Ok(())
        });
    }
    let mut child = cmd.spawn().unwrap();
    unsafe { libc::close(slave) };
    // Answer crossterm's questions (cursor position) until the app has drawn its table,
    // then hang up.
    let patience = Duration::from_secs(60);
    let started = Instant::now();
    let mut buf = [0u8; 4096];
    let mut seen = Vec::new();
    while !seen.windows(7).any(|w| w == b"Someone") {
        assert!(
            started.elapsed() < patience,
            "the app drew nothing: {:?}",
            String::from_utf8_lossy(&seen)
        );
        let mut p = libc::pollfd {
            fd: master,
            events: libc::POLLIN,
            revents: 0,
        };
        if unsafe { libc::poll(&mut p, 1, 50) } > 0 {
            let n = unsafe { libc::read(master, buf.as_mut_ptr().cast(), buf.len()) };
            if n > 0 {
                let got = &buf[..n as usize];
                if got.windows(4).any(|w| w == b"\x1b[6n") {
                    let answer = b"\x1b[1;1R";
                    unsafe { libc::write(master, answer.as_ptr().cast(), answer.len()) };
                }
                seen.extend_from_slice(got);
            }
        }
    }
    assert!(child.try_wait().unwrap().is_none(), "the app is running");
    unsafe { libc::close(master) };
    let hung_up = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert_eq!(status.code(), Some(129), "ends as after SIGHUP: {status:?}");
            break;
        }
        if hung_up.elapsed() > patience {
            let _ = child.kill();
            panic!("the app kept running after its terminal went away");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

trait FromRawFdDup {
    /// A Stdio of a duplicate of `fd` (each of stdin, stdout and stderr closes its own).
    unsafe fn from_raw_fd_dup(fd: i32) -> Stdio;
}

impl FromRawFdDup for Stdio {
    unsafe fn from_raw_fd_dup(fd: i32) -> Stdio {
        use std::os::fd::FromRawFd;
        unsafe { Stdio::from_raw_fd(libc::dup(fd)) }
    }
}
