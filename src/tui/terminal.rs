//! The terminal, entered and always left: on quit, on panic (a hook restores it before the
//! panic message prints), and on SIGTERM, SIGHUP and SIGINT (the loop sees a flag and
//! returns normally). Raw mode and the alternate screen are never left behind.

use std::io::{self, Write, stdout};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crossterm::cursor::Show;
use crossterm::event::{DisableBracketedPaste, DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Term = Terminal<CrosstermBackend<io::Stdout>>;

/// Puts the terminal back as it was. Safe to call twice, and on a terminal that is gone
/// (SIGHUP): errors are ignored, there is nothing left to tell them to.
pub fn leave() {
    let _ = disable_raw_mode();
    let mut out = stdout();
    let _ = execute!(
        out,
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        Show
    );
    let _ = out.flush();
}

/// Enters raw mode and the alternate screen, taking the mouse only when asked, with a
/// panic hook that restores the terminal first.
pub fn enter(mouse: bool) -> io::Result<Term> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        leave();
        previous(info);
    }));
    enable_raw_mode()?;
    let entered = execute!(stdout(), EnterAlternateScreen).and_then(|()| {
        if mouse {
            execute!(stdout(), EnableMouseCapture)
        } else {
            Ok(())
        }
    });
    if let Err(e) = entered {
        leave();
        return Err(e);
    }
    match Terminal::new(CrosstermBackend::new(stdout())) {
        Ok(t) => Ok(t),
        Err(e) => {
            leave();
            Err(e)
        }
    }
}

/// The terminal behind `fd` hung up (its window or SSH connection went away) without the
/// process getting SIGHUP, as when tmux's server is killed: reads then return nothing at
/// once, forever, and the event loop would spin. Polled once per turn of the loop.
pub fn hung_up(fd: std::os::fd::RawFd) -> bool {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one pollfd on the stack, zero timeout.
    let n = unsafe { libc::poll(&mut p, 1, 0) };
    n > 0 && p.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}

/// The number of the first termination signal received (0 while none).
pub struct Signals(Arc<AtomicUsize>);

impl Signals {
    /// Catches SIGTERM, SIGHUP and SIGINT so the loop can restore the terminal; a second
    /// one of the same kind ends the process at once, in case the loop is stuck.
    pub fn register() -> io::Result<Signals> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let got = Arc::new(AtomicUsize::new(0));
        for sig in [SIGTERM, SIGHUP, SIGINT] {
            let seen = Arc::new(std::sync::atomic::AtomicBool::new(false));
            signal_hook::flag::register_conditional_shutdown(sig, 128 + sig, seen.clone())?;
            signal_hook::flag::register(sig, seen)?;
            signal_hook::flag::register_usize(sig, got.clone(), sig as usize)?;
        }
        Ok(Signals(got))
    }

    pub fn received(&self) -> Option<i32> {
        match self.0.load(Ordering::Relaxed) {
            0 => None,
            n => Some(n as i32),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_terminal_whose_other_side_closed_is_hung_up() {
        let (mut master, mut slave) = (0, 0);
        // SAFETY: openpty fills two descriptors we own and close below.
        let rc = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                std::ptr::null(),
            )
        };
        assert_eq!(rc, 0);
        assert!(!hung_up(slave), "an open terminal is not hung up");
        unsafe { libc::close(master) };
        assert!(hung_up(slave), "the window went away");
        unsafe { libc::close(slave) };
    }
}
