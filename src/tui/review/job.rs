//! The rescan of the whole store (`r` in the inbox) on a thread of its own, with its
//! own connection: its hashed pass reads every profile, which takes seconds at a
//! million, and the screen must not wait for it. The app starts it when the keyboard is
//! idle and takes its answer in like the worker's.

use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::thread;

use super::Scan;
use crate::error::Error;
use crate::service::Service;
use crate::service::browse::Opener;
use crate::service::review::ScanReport;
use crate::tui::state::State;

pub struct Rescan {
    rx: Receiver<Result<ScanReport, Error>>,
}

impl Rescan {
    fn start(opener: Opener) -> Rescan {
        let (tx, rx) = channel();
        thread::spawn(move || {
            let _ = tx.send(opener.open().and_then(|mut svc| svc.rescan()));
        });
        Rescan { rx }
    }
}

/// Starts the rescan asked for, unless one runs.
pub fn idle(state: &mut State, svc: &Service, job: &mut Option<Rescan>) {
    if state.inbox.scan == Scan::Asked && job.is_none() {
        state.inbox.scan = Scan::Running;
        *job = Some(Rescan::start(svc.opener()));
    }
}

/// Takes the rescan's answer in, when it has come: says what it found and reads the
/// inbox again.
pub fn collect(state: &mut State, svc: &mut Service, job: &mut Option<Rescan>) {
    let Some(j) = job.as_ref() else {
        return;
    };
    let result = match j.rx.try_recv() {
        Ok(r) => r,
        Err(TryRecvError::Empty) => return,
        Err(TryRecvError::Disconnected) => Err(Error::Stopped(
            "The rescan stopped unexpectedly; nothing was changed.".into(),
        )),
    };
    *job = None;
    state.inbox.scan = Scan::Idle;
    match result {
        Ok(r) => {
            crate::tui::refresh::reload(state, svc);
            state.success(r.summary());
        }
        Err(e) => state.error(e.to_string()),
    }
}
