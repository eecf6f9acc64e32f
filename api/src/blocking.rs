//! CPU-heavy work (Argon2 hashes, photo decodes) on tokio's blocking pool, with at most as many
//! jobs of one kind in flight as there are cores: a burst cannot starve the async executor, nor
//! hold more memory than `cores ×` one job's.

use std::sync::Arc;

use tokio::sync::Semaphore;

#[derive(Clone)]
pub struct Bounded {
    permits: Arc<Semaphore>,
}

impl Default for Bounded {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            permits: Arc::new(Semaphore::new(cores)),
        }
    }
}

impl Bounded {
    /// Runs `f` on the blocking pool once a permit is free.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let _permit = self.permits.acquire().await?;
        Ok(tokio::task::spawn_blocking(f).await?)
    }
}
