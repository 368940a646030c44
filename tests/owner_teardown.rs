//! A page's reactive owners are torn down on whichever thread lets go of them last. When a
//! visitor leaves mid-render, the request is dropped on one worker while a resource's task
//! still reads a context on another: that read must finish, not wait for itself forever (the
//! copy of `reactive_graph` in vendor/ releases its lock before the last reference to a
//! parent goes).
#![cfg(feature = "ssr")]
// A test that cannot unwrap has failed; the lints against unwrap are for the server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, mpsc};
use std::thread;
use std::time::Duration;

use leptos::prelude::{provide_context, use_context};
use leptos::reactive::owner::Owner;

#[derive(Clone)]
struct Page;

/// Rounds of the race; on the unmended crate one in a few hundred deadlocks.
const ROUNDS: usize = 20_000;

/// One round: a parent owner (the request) holding the context, a child (the resource's
/// task) reading it in a loop on this thread, and the parent dropped on another thread.
fn read_while_the_parent_goes() {
    let parent = Owner::new();
    parent.with(|| provide_context(Page));
    let child = parent.with(Owner::new);
    let ready = Arc::new(Barrier::new(2));
    let dropper = thread::spawn({
        let ready = Arc::clone(&ready);
        move || {
            ready.wait();
            drop(parent);
        }
    });
    ready.wait();
    child.with(|| while use_context::<Page>().is_some() {});
    dropper.join().unwrap();
}

#[test]
fn reading_a_context_while_its_owner_is_dropped_elsewhere_finishes() {
    let (finished, all_done) = mpsc::channel();
    let done = Arc::new(AtomicUsize::new(0));
    thread::spawn({
        let done = Arc::clone(&done);
        move || {
            for _ in 0..ROUNDS {
                read_while_the_parent_goes();
                done.fetch_add(1, Ordering::Relaxed);
            }
            finished.send(()).unwrap();
        }
    });
    assert!(
        all_done.recv_timeout(Duration::from_secs(60)).is_ok(),
        "round {} of {ROUNDS} has not finished in a minute: a thread reading a context waits \
         for itself while its owner is dropped",
        done.load(Ordering::Relaxed) + 1
    );
}
