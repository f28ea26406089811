//! Runs the real `roster` binary in a pseudo-terminal and reads its screen through a
//! terminal emulator (vt100). A bare PTY never answers crossterm's cursor-position query
//! (ESC [ 6 n), so the reader answers it from the emulator's cursor. No tmux needed.
//!
//! No sleep stands for synchronisation: a test waits for what the screen shows (polled,
//! with a generous limit), keys are sent as the app can never misread them (Esc as
//! `CSI 27 u`, so that a following key is never taken for the rest of a sequence), and
//! the thread reading the terminal is joined once the app ended, so that every byte it
//! sent is in `raw()`.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub const BIN: &str = env!("CARGO_BIN_EXE_roster");

/// How long a test waits for the screen or the app before it calls it a failure:
/// generous, because the machines that run the tests are shared and slow at times.
pub const PATIENCE: Duration = Duration::from_secs(60);

struct Shared {
    parser: vt100::Parser,
    raw: Vec<u8>,
}

pub struct App {
    pub child: Box<dyn Child + Send + Sync>,
    pub master: Box<dyn MasterPty + Send>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    shared: Arc<Mutex<Shared>>,
    reader: Option<std::thread::JoinHandle<()>>,
    /// Says when the reader has read everything (the terminal's other side closed).
    read_all: std::sync::mpsc::Receiver<()>,
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).unwrap()
}

fn size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

impl App {
    /// Starts `roster --db DB` (plus `args`) at `cols` × `rows`, with `env` set.
    pub fn spawn(db: &Path, cols: u16, rows: u16, args: &[&str], env: &[(&str, &str)]) -> App {
        let mut all = vec!["--db", db.to_str().unwrap()];
        all.extend_from_slice(args);
        App::spawn_program(BIN, &all, cols, rows, env)
    }

    /// Starts `program ARGS` (e.g. `setpriv … roster`, to run the app as another user)
    /// at `cols` × `rows`, with `env` set (an empty value removes the variable).
    pub fn spawn_program(
        program: &str,
        args: &[&str],
        cols: u16,
        rows: u16,
        env: &[(&str, &str)],
    ) -> App {
        let pair = native_pty_system().openpty(size(cols, rows)).unwrap();
        let mut cmd = CommandBuilder::new(program);
        for a in args {
            cmd.arg(a);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        for (k, v) in env {
            if v.is_empty() {
                cmd.env_remove(k);
            } else {
                cmd.env(k, v);
            }
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = Arc::new(Mutex::new(pair.master.take_writer().unwrap()));
        let shared = Arc::new(Mutex::new(Shared {
            parser: vt100::Parser::new(nz(rows), nz(cols), 0),
            raw: Vec::new(),
        }));
        let (done, read_all) = std::sync::mpsc::channel();
        let reader = {
            let shared = shared.clone();
            let writer = writer.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                loop {
                    let n = match reader.read(&mut buf) {
                        Ok(0) | Err(_) => {
                            let _ = done.send(());
                            return;
                        }
                        Ok(n) => n,
                    };
                    let mut s = shared.lock().unwrap();
                    let start = s.raw.len().saturating_sub(3);
                    s.raw.extend_from_slice(&buf[..n]);
                    // Answer each cursor-position query that this chunk completed.
                    let queries = s.raw[start..]
                        .windows(4)
                        .filter(|w| *w == b"\x1b[6n")
                        .count();
                    s.parser.process(&buf[..n]);
                    if queries > 0 {
                        let (row, col) = s.parser.screen().cursor_position();
                        let answer = format!("\x1b[{};{}R", row + 1, col + 1);
                        drop(s);
                        let mut w = writer.lock().unwrap();
                        for _ in 0..queries {
                            let _ = w.write_all(answer.as_bytes());
                        }
                        let _ = w.flush();
                    }
                }
            })
        };
        App {
            child,
            master: pair.master,
            writer,
            shared,
            reader: Some(reader),
            read_all,
        }
    }

    /// Sends `bytes` as typed. A lone Esc goes as `CSI 27 u` (crossterm reads it as the
    /// Esc key), because a bare ESC followed by the next key in the same read would be
    /// taken for Alt and that key.
    pub fn send(&self, bytes: &str) {
        let bytes = if bytes == "\x1b" { "\x1b[27u" } else { bytes };
        let mut w = self.writer.lock().unwrap();
        w.write_all(bytes.as_bytes()).unwrap();
        w.flush().unwrap();
    }

    /// Sends the keys of `keys`, one character each.
    pub fn keys(&self, keys: &str) {
        self.send(keys);
    }

    pub fn screen(&self) -> String {
        self.shared.lock().unwrap().parser.screen().contents()
    }

    pub fn raw(&self) -> Vec<u8> {
        self.shared.lock().unwrap().raw.clone()
    }

    pub fn alternate_screen(&self) -> bool {
        self.shared
            .lock()
            .unwrap()
            .parser
            .screen()
            .alternate_screen()
    }

    pub fn cursor_hidden(&self) -> bool {
        self.shared.lock().unwrap().parser.screen().hide_cursor()
    }

    /// Waits until the screen contains `text`; panics with the screen after `secs`.
    pub fn wait_for(&self, text: &str) {
        self.wait_until(text, |s| s.contains(text));
    }

    /// Polls the screen until `f` holds; panics with the screen after `PATIENCE`.
    pub fn wait_until(&self, what: &str, f: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let screen = self.screen();
            if f(&screen) {
                return;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what:?}; the screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn resize(&self, cols: u16, rows: u16) {
        self.shared
            .lock()
            .unwrap()
            .parser
            .set_size(nz(rows), nz(cols));
        self.master.resize(size(cols, rows)).unwrap();
    }

    /// Waits for the app to end, then for the reader to have read every byte it sent
    /// (the reading thread is joined); the exit code (`None` when killed by a signal).
    pub fn wait_exit(&mut self) -> Option<u32> {
        let deadline = Instant::now() + PATIENCE;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the app did not exit; the screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        self.join_reader();
        status.signal().is_none().then(|| status.exit_code())
    }

    /// Joins the reading thread once the terminal's other side is closed.
    fn join_reader(&mut self) {
        if let Some(reader) = self.reader.take() {
            self.read_all
                .recv_timeout(PATIENCE)
                .expect("the terminal's other side stays open after the app ended");
            reader.join().expect("the terminal reader");
        }
    }

    pub fn pid(&self) -> i32 {
        self.child.process_id().unwrap() as i32
    }

    /// Which mouse events the app asked the terminal to report.
    pub fn mouse_mode(&self) -> vt100::MouseProtocolMode {
        self.shared
            .lock()
            .unwrap()
            .parser
            .screen()
            .mouse_protocol_mode()
    }

    /// A left click at the first place `text` shows on the screen (SGR encoding, as
    /// crossterm asks for).
    pub fn click(&self, text: &str) {
        let screen = self.screen();
        let (row, col) = screen
            .lines()
            .enumerate()
            .find_map(|(y, line)| line.find(text).map(|at| (y, line[..at].chars().count())))
            .unwrap_or_else(|| panic!("{text:?} is not on the screen:\n{screen}"));
        let (x, y) = (col + 1, row + 1);
        self.send(&format!("\x1b[<0;{x};{y}M\x1b[<0;{x};{y}m"));
    }

    /// The terminal is back in cooked mode: canonical input and echo on.
    pub fn cooked(&self) -> bool {
        let fd = self.master.as_raw_fd().unwrap();
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::tcgetattr(fd, &mut t) }, 0);
        t.c_lflag & libc::ICANON != 0 && t.c_lflag & libc::ECHO != 0
    }

    /// Restored: cooked mode, the main screen, the cursor shown.
    pub fn assert_restored(&self) {
        assert!(self.cooked(), "raw mode left on");
        assert!(!self.alternate_screen(), "alternate screen left on");
        assert!(!self.cursor_hidden(), "cursor left hidden");
        assert_eq!(
            self.mouse_mode(),
            vt100::MouseProtocolMode::None,
            "mouse reporting left on"
        );
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        if let Some(reader) = self.reader.take()
            && self.read_all.recv_timeout(PATIENCE).is_ok()
        {
            let _ = reader.join();
        }
    }
}

/// Runs a command of the real binary on `db`; its stdout.
pub fn roster(db: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "roster {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub fn json(db: &Path, args: &[&str]) -> serde_json::Value {
    let mut args = args.to_vec();
    args.push("--json");
    serde_json::from_str(&roster(db, &args)).unwrap()
}
