//! Runs a program and measures it from outside: wall time and peak memory (the kernel's
//! maximum resident set size of that one child, from wait4).

use std::process::{Command, Stdio};
use std::time::Instant;

pub struct Ran {
    pub seconds: f64,
    pub max_rss_kib: u64,
    pub stdout: String,
}

pub fn run(program: &str, args: &[&str], envs: &[(&str, &str)]) -> Result<Ran, String> {
    let started = Instant::now();
    let mut cmd = Command::new(program);
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().map_err(|e| format!("{program}: {e}"))?;
    // Drain the pipes on threads so a chatty child never blocks on a full pipe.
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_thread = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut out, &mut s);
        s
    });
    let err_thread = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut s);
        s
    });
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data filled by the kernel; pid is our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let seconds = started.elapsed().as_secs_f64();
    let stdout = out_thread.join().unwrap_or_default();
    let stderr = err_thread.join().unwrap_or_default();
    if rc != pid {
        return Err(format!("{program}: wait4 failed"));
    }
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    if !ok {
        return Err(format!("{program} {args:?} failed: {stderr}"));
    }
    Ok(Ran {
        seconds,
        max_rss_kib: usage.ru_maxrss as u64,
        stdout,
    })
}
