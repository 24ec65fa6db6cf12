//! Who records a history step: this window (a session: one run of one
//! process) and its user. Undo takes back this window's steps first, then
//! the user's steps from runs that have ended; a step made in another
//! window that is still open is never undone without asking.

use std::{
    path::Path,
    sync::Mutex,
    time::{SystemTime, UNIX_EPOCH},
};

/// The sessions open in this process: one process can hold several
/// stores (the tests do), so its pid alone says nothing about them.
static OPEN_HERE: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// One run of the board (or of a command) on this machine: open while the
/// value lives.
#[derive(Debug, PartialEq, Eq)]
pub struct Session {
    /// `pid@host#start`: unique per run, and says which process made it.
    pub id: String,
    /// The user's login name, as the history shows it.
    pub author: String,
}

impl Session {
    /// A new session of this process, open until dropped.
    pub fn start() -> Self {
        let started = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_nanos());
        let mut open = OPEN_HERE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut id = format!("{}@{}#{started:x}", std::process::id(), host());
        // Two stores opened in the same nanosecond still differ.
        while open.contains(&id) {
            id.push('+');
        }
        open.push(id.clone());
        let author = ["USER", "LOGNAME", "USERNAME"]
            .iter()
            .find_map(|name| std::env::var(name).ok().filter(|value| !value.is_empty()))
            .or_else(login_of_this_process)
            .unwrap_or_else(|| "someone".to_owned());
        Self { id, author }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        OPEN_HERE.lock().unwrap_or_else(std::sync::PoisonError::into_inner).retain(|open| *open != self.id);
    }
}

/// The login name of this process's user from the system's user list,
/// where no environment variable names it (a service, `env -i`).
fn login_of_this_process() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let uid = status.lines().find_map(|line| line.strip_prefix("Uid:"))?.split_whitespace().next()?.to_owned();
    let users = std::fs::read_to_string("/etc/passwd").ok()?;
    users.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        (fields.nth(1)? == uid).then(|| name.to_owned())
    })
}

fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|name| name.trim().to_owned())
        .unwrap_or_default()
}

/// Whether the run `id` has ended: its process is gone from this machine.
/// A run on another machine, or where this cannot be known, counts as
/// still going, so its steps are only undone after asking.
pub fn has_ended(id: &str) -> bool {
    let Some((pid, rest)) = id.split_once('@') else { return false };
    let Some((host_name, _)) = rest.split_once('#') else { return false };
    if host_name != host() || !Path::new("/proc/self").exists() {
        return false;
    }
    match pid.parse::<u32>() {
        Ok(pid) if pid == std::process::id() => {
            !OPEN_HERE.lock().unwrap_or_else(std::sync::PoisonError::into_inner).iter().any(|open| open == id)
        }
        Ok(pid) => !Path::new(&format!("/proc/{pid}")).exists(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_run_is_going_and_a_gone_process_has_ended() {
        let me = Session::start();
        assert!(!has_ended(&me.id));
        let id = me.id.clone();
        drop(me);
        assert!(has_ended(&id) || !Path::new("/proc/self").exists(), "a store of this process that closed has ended");
        // pid_max is at most 2^22 on Linux: this pid cannot run.
        let gone = format!("4194304@{}#0", host());
        assert_eq!(has_ended(&gone), Path::new("/proc/self").exists());
        assert!(!has_ended("12@another-machine#0"), "another machine's run counts as going");
        assert!(!has_ended("not a session"));
    }
}
