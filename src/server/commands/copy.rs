//! `gazette copy --from URL --to URL`: a whole site into an empty database of either kind.

use crate::db;

pub async fn run(from: &str, to: &str) -> Result<(), String> {
    if from == to {
        return Err("源数据库和目标数据库是同一个".into());
    }
    // A server on either would go on writing, or serve pages of a half-copied site.
    let _locks = (db::lock::hold(from)?, db::lock::hold(to)?);
    let (source, target) = (db::open(from).await?, db::open(to).await?);
    let started = std::time::Instant::now();
    let copied = db::copy::copy(&source, &target).await;
    source.close().await;
    target.close().await;
    let copied = copied?;
    for (table, rows) in &copied.tables {
        println!("{table:<20} {rows:>10} 行");
    }
    println!(
        "已复制并核对,搜索索引含 {} 篇文章,用时 {:.1} 秒",
        copied.indexed,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
