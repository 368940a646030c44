//! Synthetic archives for benchmarks: the demo site plus any number of realistic Chinese
//! articles spread over its categories and the last ten years.

use sqlx::SqlitePool;

use crate::search::tokenize::index_text;

/// Articles written per transaction, so memory stays flat for a million.
const BATCH: u64 = 10_000;

/// Ten years, the span publish times are spread over.
const SPAN_SECONDS: i64 = 10 * 365 * 24 * 60 * 60;

const SUBJECTS: [&str; 16] = [
    "深圳市美容行业协会",
    "市场监管部门",
    "行业专家",
    "会员单位",
    "美发技能大赛组委会",
    "消费者委员会",
    "职业技能鉴定中心",
    "连锁美容品牌",
    "社区美容店",
    "化妆品生产企业",
    "人力资源和社会保障局",
    "协会秘书处",
    "粤港澳大湾区同行",
    "培训学校",
    "医疗美容机构",
    "行业标准起草组",
];
const ACTIONS: [&str; 12] = [
    "召开座谈会研究",
    "发布通知部署",
    "开展专项检查",
    "组织培训推进",
    "签署合作协议推动",
    "举办交流活动探讨",
    "印发指导意见规范",
    "启动评选活动表彰",
    "公开征求意见完善",
    "召开年会总结",
    "开展调研了解",
    "推出新举措提升",
];
const TOPICS: [&str; 16] = [
    "预付卡消费管理",
    "职业技能等级认定",
    "化妆品安全使用",
    "门店卫生管理",
    "消费者权益保护",
    "行业诚信建设",
    "人才培养与就业",
    "绿色门店建设",
    "数字化经营转型",
    "医疗美容合规",
    "服务标准宣贯",
    "安全生产",
    "头皮护理服务",
    "美甲产品质量",
    "个人信息保护",
    "社区便民服务",
];
const SENTENCES: [&str; 12] = [
    "会议要求各会员单位高度重视,结合实际抓好落实。",
    "与会代表围绕行业发展中的热点难点问题进行了深入交流。",
    "有关负责人表示,将进一步完善工作机制,提升服务水平。",
    "据统计,今年以来全市相关门店数量保持稳定增长。",
    "专家建议,企业应当加强员工培训,规范服务流程。",
    "消费者在选择服务时,应当查验经营者的证照和资质。",
    "协会将持续跟踪政策落实情况,及时向会员通报有关信息。",
    "活动现场气氛热烈,参与者纷纷表示收获很大。",
    "下一步,有关部门将加大监督检查力度,维护市场秩序。",
    "业内人士认为,标准化、品牌化是行业高质量发展的方向。",
    "各区行业组织代表介绍了本地区的经验做法。",
    "本次活动共吸引了三百余家企业和个人参与。",
];

/// A small, fast, deterministic generator, so every run builds the same archive.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// Loads the demo site into an empty database and adds `count` generated articles,
/// published between ten years ago and `now`. Returns how many articles the database holds.
pub async fn generate(pool: &SqlitePool, count: u64, now: i64) -> Result<i64, String> {
    if !super::demo::load_if_empty(pool)
        .await
        .map_err(|e| e.to_string())?
    {
        return Err("基准数据只能写入空数据库".into());
    }
    let categories: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM categories WHERE kind = 'list' ORDER BY id")
            .fetch_all(pool)
            .await
            .map_err(|e| e.to_string())?;
    let mut mix = Mix(0x9E37_79B9_7F4A_7C15);
    let mut written = 0;
    while written < count {
        let mut tx = pool.begin().await.map_err(|e| e.to_string())?;
        for _ in 0..BATCH.min(count - written) {
            let topic = mix.pick(&TOPICS);
            let title = format!("{}{}{}工作", mix.pick(&SUBJECTS), mix.pick(&ACTIONS), topic);
            let paragraphs: Vec<String> = (0..3)
                .map(|_| (0..3).map(|_| mix.pick(&SENTENCES)).collect::<String>())
                .collect();
            let summary = format!("{title}。{}", paragraphs[0]);
            let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
            let category = categories[(mix.next() % categories.len() as u64) as usize];
            let published = now - (mix.next() % SPAN_SECONDS as u64) as i64;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO articles (category_id, title, summary, body, source, status,
                                       published_at, created_at, updated_at, view_count)
                 VALUES (?1, ?2, ?3, ?4, '协会秘书处', 'published', ?5, ?5, ?5, ?6) RETURNING id",
            )
            .bind(category)
            .bind(&title)
            .bind(&summary)
            .bind(&body)
            .bind(published)
            .bind((mix.next() % 5000) as i64)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| e.to_string())?;
            sqlx::query("INSERT INTO article_search (rowid, title, body) VALUES (?, ?, ?)")
                .bind(id)
                .bind(index_text(&title))
                .bind(index_text(&format!(
                    "{summary} {} 协会秘书处",
                    paragraphs.join(" ")
                )))
                .execute(&mut *tx)
                .await
                .map_err(|e| e.to_string())?;
        }
        tx.commit().await.map_err(|e| e.to_string())?;
        written += BATCH.min(count - written);
    }
    sqlx::query("PRAGMA optimize")
        .execute(pool)
        .await
        .map_err(|e| e.to_string())?;
    sqlx::query_scalar("SELECT count(*) FROM articles")
        .fetch_one(pool)
        .await
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[sqlx::test]
    async fn fills_an_empty_database_and_only_an_empty_one(pool: SqlitePool) {
        let now = 1_800_000_000;
        let total = generate(&pool, 2_500, now).await.unwrap();
        let demo: i64 = 49;
        assert_eq!(total, demo + 2_500);
        let indexed: i64 = sqlx::query_scalar("SELECT count(*) FROM article_search")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(indexed, total);
        let (oldest, newest): (i64, i64) = sqlx::query_as(
            "SELECT min(published_at), max(published_at) FROM articles WHERE source = '协会秘书处'",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert!(oldest >= now - SPAN_SECONDS && newest <= now);
        assert!(generate(&pool, 10, now).await.is_err());
    }
}
