//! How the process gives memory back to the system.
//!
//! glibc's allocator maps every allocation of 128 KiB or more on its own, and unmaps it when it
//! is freed — until the first such allocation is freed: then it raises that threshold to the
//! freed size (up to 32 MiB), and from there on large allocations come from the heap of the
//! thread that made them and stay there when freed. Every Argon2 hash allocates 19 MiB on a
//! blocking-pool thread, so after a few sign-ins each of those threads kept its own 19 MiB
//! (idle memory went from 30 MiB to 160 MiB in six logins). Setting the threshold explicitly
//! turns that adjustment off: allocations from [`MAPPED_FROM_BYTES`] on are mapped and returned
//! at once, whatever was freed before.
//!
//! glibc also gives each new thread an arena of its own, up to eight per core; the server runs
//! a dozen threads of which a few allocate (the workers, the blocking pool, SQLite's), so one
//! arena per core is enough and keeps the free memory of each from adding up.
//!
//! This is the only `unsafe` in the workspace (a test keeps it so): one call of a C function
//! that changes a tunable, which glibc allows at any time and from any thread.

#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MAPPED_FROM_BYTES: libc::c_int = 1024 * 1024;

/// Has large allocations returned to the system when they are freed, and one arena per core.
/// Call it first in `main`, before any thread starts.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let arenas = libc::c_int::try_from(cores).unwrap_or(libc::c_int::MAX);
        for (name, param, value) in [
            (
                "M_MMAP_THRESHOLD",
                libc::M_MMAP_THRESHOLD,
                MAPPED_FROM_BYTES,
            ),
            ("M_ARENA_MAX", libc::M_ARENA_MAX, arenas),
        ] {
            // SAFETY: `mallopt` only sets an allocator parameter; glibc documents it as
            // callable at any time, and it reads and writes no memory of ours.
            #[allow(unsafe_code)]
            let set = unsafe { libc::mallopt(param, value) };
            if set != 1 {
                eprintln!("postwarden-api: glibc refused {name} = {value}");
            }
        }
    }
}
