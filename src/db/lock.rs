//! One server per database. A running server holds an exclusive lock on `<database>.lock`;
//! a second server on the same database, and `gazette restore`, are refused while it does.
//! The operating system lets the lock go when the process ends, however it ends.

use std::fs::{File, OpenOptions, TryLockError};

/// Held until dropped.
pub struct DatabaseLock {
    _file: Option<File>,
}

/// Takes the lock of the database at `url`; an in-memory database has none.
pub fn hold(url: &str) -> Result<DatabaseLock, String> {
    let Some(database) = super::file_path(url) else {
        return Ok(DatabaseLock { _file: None });
    };
    super::create_folder(url)?;
    let path = super::beside(&database, ".lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| format!("无法在数据库目录中写入 {}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(DatabaseLock { _file: Some(file) }),
        Err(TryLockError::WouldBlock) => Err(format!(
            "数据库 {} 正被另一个 gazette 进程使用;请先停止它",
            database.display()
        )),
        Err(TryLockError::Error(e)) => Err(format!("无法锁定 {}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_until_the_first_lets_go() {
        let folder = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/site.db", folder.path().display());
        let first = hold(&url).unwrap();
        let refused = hold(&url).err().unwrap();
        assert!(refused.contains("另一个 gazette 进程"), "{refused}");
        drop(first);
        assert!(hold(&url).is_ok());
        assert!(hold("sqlite::memory:").is_ok());
    }
}
