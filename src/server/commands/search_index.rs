//! `gazette rebuild-search`: the search index made anew from the articles.

use super::cli::Cli;
use crate::db;
use crate::server::config::Config;

pub async fn rebuild(cli: &Cli) -> Result<(), String> {
    let config = Config::load(&cli.config)?;
    let pool = db::open(&config.database_url).await?;
    let indexed = db::search::rebuild(&pool)
        .await
        .map_err(|e| format!("重建搜索索引失败: {e}"))?;
    println!("搜索索引已重建,共 {indexed} 篇文章");
    Ok(())
}
