//! Reads the rows out of a MySQL dump (`mysqldump`, phpMyAdmin) without a MySQL server and
//! without holding the dump in memory: statements are read byte by byte and each row of an
//! `INSERT` is handed over as soon as it is complete.

use std::collections::HashMap;
use std::io::{BufRead, ErrorKind};

/// One value of a row, as the dump spells it. Text stays bytes: its encoding is decided
/// by the caller, who knows the table's character set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Null,
    Number(String),
    Text(Vec<u8>),
}

impl Value {
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(number) => number
                .parse::<i64>()
                .ok()
                .or_else(|| number.parse::<f64>().ok().map(|n| n as i64)),
            Value::Text(bytes) => std::str::from_utf8(bytes).ok()?.trim().parse().ok(),
            Value::Null => None,
        }
    }
}

/// What a `CREATE TABLE` said about a table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    pub columns: Vec<String>,
    /// `DEFAULT CHARSET=…`, lower-case; empty when not given.
    pub charset: String,
}

/// One row of an `INSERT`, with the names of its columns.
pub struct Row<'a> {
    pub table: &'a str,
    pub columns: &'a [String],
    pub values: Vec<Value>,
    /// The table's `DEFAULT CHARSET`, lower case; empty when the dump does not say.
    pub charset: &'a str,
    /// The connection's `SET NAMES`, lower case; empty when the dump does not say.
    pub connection: &'a str,
}

impl Row<'_> {
    pub fn get(&self, column: &str) -> Option<&Value> {
        let index = self.columns.iter().position(|name| name == column)?;
        self.values.get(index)
    }
}

/// Why a dump could not be read, with the line it happened on.
#[derive(Debug, thiserror::Error)]
pub enum DumpError {
    #[error("读取文件失败: {0}")]
    Io(#[from] std::io::Error),
    #[error("第 {line} 行: {reason}")]
    Syntax { line: usize, reason: String },
}

/// The dump's declared character set (`SET NAMES`, else the first table's charset).
#[derive(Default)]
pub struct Declared {
    pub names: Option<String>,
}

/// Reads every statement, calling `on_table` for each `CREATE TABLE` and `on_row` for each
/// row of an `INSERT` into a table `wanted` accepts (others are skipped without decoding).
pub struct DumpReader<R> {
    input: R,
    line: usize,
    pub tables: HashMap<String, Table>,
    pub declared: Declared,
}

impl<R: BufRead> DumpReader<R> {
    pub fn new(input: R) -> Self {
        DumpReader {
            input,
            line: 1,
            tables: HashMap::new(),
            declared: Declared::default(),
        }
    }

    pub fn read(
        &mut self,
        wanted: impl Fn(&str) -> bool,
        mut on_row: impl FnMut(Row<'_>) -> Result<(), String>,
    ) -> Result<(), DumpError> {
        let mut statements = 0usize;
        loop {
            self.skip_space_and_comments()?;
            let Some(first) = self.peek()? else {
                break;
            };
            if !first.is_ascii_alphabetic() {
                return Err(self.error(if statements == 0 {
                    "这不是 MySQL 导出的 SQL 文件(开头不是 SQL 语句)".to_string()
                } else {
                    format!("无法识别的内容(以 “{}” 开头)", char::from(first))
                }));
            }
            let keyword = self.word()?.to_ascii_uppercase();
            statements += 1;
            match keyword.as_str() {
                "INSERT" | "REPLACE" => self.insert(&wanted, &mut on_row)?,
                "CREATE" => self.create()?,
                "SET" => {
                    let text = self.rest_of_statement(4096)?;
                    self.note_set(&text);
                }
                _ => {
                    self.rest_of_statement(0)?;
                }
            }
        }
        if statements == 0 {
            return Err(self.error("文件是空的,或者只有注释".into()));
        }
        Ok(())
    }

    fn error(&self, reason: String) -> DumpError {
        DumpError::Syntax {
            line: self.line,
            reason,
        }
    }

    fn truncated(&self) -> DumpError {
        self.error("文件在语句中途结束:导出文件不完整,请重新导出".into())
    }

    fn peek(&mut self) -> Result<Option<u8>, DumpError> {
        loop {
            match self.input.fill_buf() {
                Ok(buffer) => return Ok(buffer.first().copied()),
                Err(error) if error.kind() == ErrorKind::Interrupted => continue,
                Err(error) => return Err(error.into()),
            }
        }
    }

    fn next(&mut self) -> Result<Option<u8>, DumpError> {
        let byte = self.peek()?;
        if let Some(byte) = byte {
            self.input.consume(1);
            if byte == b'\n' {
                self.line += 1;
            }
        }
        Ok(byte)
    }

    fn expect_next(&mut self) -> Result<u8, DumpError> {
        self.next()?.ok_or_else(|| self.truncated())
    }

    fn skip_space(&mut self) -> Result<(), DumpError> {
        while self.peek()?.is_some_and(|b| b.is_ascii_whitespace()) {
            self.next()?;
        }
        Ok(())
    }

    /// Skips blanks, `-- …` and `# …` lines, and `/* … */` comments; the conditional
    /// `/*!40101 SET NAMES utf8 */` ones are read for their character set.
    fn skip_space_and_comments(&mut self) -> Result<(), DumpError> {
        loop {
            self.skip_space()?;
            match self.peek()? {
                Some(b'#') => self.skip_line()?,
                Some(b'-') => {
                    self.next()?;
                    if self.peek()? != Some(b'-') {
                        return Err(self.error("无法识别的内容(以 “-” 开头)".into()));
                    }
                    self.skip_line()?;
                }
                Some(b'/') => {
                    self.next()?;
                    if self.next()? != Some(b'*') {
                        return Err(self.error("无法识别的内容(以 “/” 开头)".into()));
                    }
                    let mut comment = Vec::new();
                    loop {
                        let byte = self.expect_next()?;
                        if byte == b'*' && self.peek()? == Some(b'/') {
                            self.next()?;
                            break;
                        }
                        if comment.len() < 4096 {
                            comment.push(byte);
                        }
                    }
                    self.note_set(&String::from_utf8_lossy(&comment));
                    // A conditional comment is a statement of its own, ended by `;`.
                    self.skip_space()?;
                    if self.peek()? == Some(b';') {
                        self.next()?;
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn skip_line(&mut self) -> Result<(), DumpError> {
        while let Some(byte) = self.next()? {
            if byte == b'\n' {
                break;
            }
        }
        Ok(())
    }

    fn note_set(&mut self, text: &str) {
        let upper = text.to_ascii_uppercase();
        if let Some(at) = upper.find("SET NAMES") {
            let name: String = text[at + 9..]
                .trim_start()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                self.declared.names = Some(name.to_ascii_lowercase());
            }
        }
    }

    fn word(&mut self) -> Result<String, DumpError> {
        let mut word = String::new();
        while let Some(byte) = self.peek()? {
            if byte.is_ascii_alphanumeric() || byte == b'_' {
                word.push(char::from(byte));
                self.next()?;
            } else {
                break;
            }
        }
        Ok(word)
    }

    /// A table or column name, quoted with backticks or not, possibly `db`.`table`.
    fn name(&mut self) -> Result<String, DumpError> {
        self.skip_space()?;
        let mut name = self.name_part()?;
        while self.peek()? == Some(b'.') {
            self.next()?;
            name = self.name_part()?;
        }
        Ok(name)
    }

    fn name_part(&mut self) -> Result<String, DumpError> {
        if self.peek()? == Some(b'`') {
            self.next()?;
            let mut bytes = Vec::new();
            loop {
                match self.expect_next()? {
                    b'`' if self.peek()? == Some(b'`') => {
                        self.next()?;
                        bytes.push(b'`');
                    }
                    b'`' => break,
                    byte => bytes.push(byte),
                }
            }
            Ok(String::from_utf8_lossy(&bytes).into_owned())
        } else {
            let word = self.word()?;
            if word.is_empty() {
                return Err(self.error("缺少表名或列名".into()));
            }
            Ok(word)
        }
    }

    /// The statement up to its `;` (outside quotes), keeping at most `keep` bytes of it.
    fn rest_of_statement(&mut self, keep: usize) -> Result<String, DumpError> {
        let mut kept = Vec::new();
        let mut quote: Option<u8> = None;
        loop {
            let byte = self.expect_next()?;
            if kept.len() < keep {
                kept.push(byte);
            }
            match quote {
                Some(_) if byte == b'\\' => {
                    let escaped = self.expect_next()?;
                    if kept.len() < keep {
                        kept.push(escaped);
                    }
                }
                Some(open) if byte == open => quote = None,
                Some(_) => {}
                None if matches!(byte, b'\'' | b'"' | b'`') => quote = Some(byte),
                None if byte == b';' => break,
                None => {}
            }
        }
        Ok(String::from_utf8_lossy(&kept).into_owned())
    }

    fn create(&mut self) -> Result<(), DumpError> {
        self.skip_space()?;
        let what = self.word()?.to_ascii_uppercase();
        if what != "TABLE" {
            self.rest_of_statement(0)?;
            return Ok(());
        }
        self.skip_space()?;
        let mut name = self.name()?;
        if name.eq_ignore_ascii_case("IF") {
            // IF NOT EXISTS
            self.skip_space()?;
            self.word()?;
            self.skip_space()?;
            self.word()?;
            name = self.name()?;
        }
        let definition = self.rest_of_statement(1 << 20)?;
        self.tables
            .insert(name.to_ascii_lowercase(), parse_table(&definition));
        Ok(())
    }

    fn insert(
        &mut self,
        wanted: &impl Fn(&str) -> bool,
        on_row: &mut impl FnMut(Row<'_>) -> Result<(), String>,
    ) -> Result<(), DumpError> {
        // INSERT [LOW_PRIORITY | IGNORE …] INTO `table` [(`a`, `b`)] VALUES (…), (…);
        let table = loop {
            self.skip_space()?;
            let word = self.word()?;
            if word.eq_ignore_ascii_case("INTO") {
                break self.name()?.to_ascii_lowercase();
            }
            if word.is_empty() {
                return Err(self.error("INSERT 语句缺少 INTO".into()));
            }
        };
        self.skip_space()?;
        let mut columns = Vec::new();
        if self.peek()? == Some(b'(') {
            self.next()?;
            loop {
                columns.push(self.name()?);
                self.skip_space()?;
                match self.expect_next()? {
                    b',' => continue,
                    b')' => break,
                    _ => return Err(self.error("INSERT 的列名列表格式不正确".into())),
                }
            }
        }
        self.skip_space()?;
        let values = self.word()?;
        if !values.eq_ignore_ascii_case("VALUES") && !values.eq_ignore_ascii_case("VALUE") {
            self.rest_of_statement(0)?;
            return Ok(());
        }
        if !wanted(&table) {
            self.rest_of_statement(0)?;
            return Ok(());
        }
        let charset = self
            .tables
            .get(&table)
            .map(|known| known.charset.clone())
            .unwrap_or_default();
        let connection = self.declared.names.clone().unwrap_or_default();
        if columns.is_empty() {
            columns = match self.tables.get(&table) {
                Some(known) => known.columns.clone(),
                None => {
                    return Err(self.error(format!(
                        "表 {table} 的 INSERT 没有列名,文件中也没有它的 CREATE TABLE"
                    )));
                }
            };
        }
        loop {
            self.skip_space()?;
            if self.expect_next()? != b'(' {
                return Err(self.error(format!("表 {table} 的数据格式不正确(缺少左括号)")));
            }
            let mut values = Vec::with_capacity(columns.len());
            loop {
                self.skip_space()?;
                values.push(self.value()?);
                self.skip_space()?;
                match self.expect_next()? {
                    b',' => continue,
                    b')' => break,
                    _ => return Err(self.error(format!("表 {table} 的数据格式不正确"))),
                }
            }
            if values.len() != columns.len() {
                return Err(self.error(format!(
                    "表 {table} 的一行有 {} 个值,但表有 {} 列",
                    values.len(),
                    columns.len()
                )));
            }
            let line = self.line;
            on_row(Row {
                table: &table,
                columns: &columns,
                values,
                charset: &charset,
                connection: &connection,
            })
            .map_err(|reason| DumpError::Syntax { line, reason })?;
            self.skip_space()?;
            match self.expect_next()? {
                b',' => continue,
                b';' => return Ok(()),
                _ => return Err(self.error(format!("表 {table} 的数据之间缺少逗号或分号"))),
            }
        }
    }

    fn value(&mut self) -> Result<Value, DumpError> {
        match self.peek()? {
            Some(b'\'') | Some(b'"') => self.quoted().map(Value::Text),
            Some(b'_') => {
                // A character set introducer: _binary '…', _utf8mb4 '…'.
                self.word()?;
                self.skip_space()?;
                self.value()
            }
            Some(b'0') => {
                let word = self.word()?;
                match word.strip_prefix("0x").or_else(|| word.strip_prefix("0X")) {
                    Some(hex) => decode_hex(hex)
                        .map(Value::Text)
                        .ok_or_else(|| self.error("十六进制数据格式不正确".into())),
                    None => Ok(Value::Number(self.rest_of_number(word)?)),
                }
            }
            Some(byte) if byte.is_ascii_digit() || byte == b'-' || byte == b'.' => {
                self.next()?;
                Ok(Value::Number(self.rest_of_number(char::from(byte).into())?))
            }
            Some(byte) if byte.is_ascii_alphabetic() => {
                let word = self.word()?;
                if word.eq_ignore_ascii_case("NULL") {
                    Ok(Value::Null)
                } else if word.eq_ignore_ascii_case("TRUE") {
                    Ok(Value::Number("1".into()))
                } else if word.eq_ignore_ascii_case("FALSE") {
                    Ok(Value::Number("0".into()))
                } else {
                    Err(self.error(format!("无法识别的值 {word}")))
                }
            }
            Some(_) => Err(self.error("无法识别的值".into())),
            None => Err(self.truncated()),
        }
    }

    fn rest_of_number(&mut self, mut number: String) -> Result<String, DumpError> {
        while let Some(byte) = self.peek()? {
            if byte.is_ascii_digit() || matches!(byte, b'.' | b'e' | b'E' | b'+' | b'-') {
                number.push(char::from(byte));
                self.next()?;
            } else {
                break;
            }
        }
        Ok(number)
    }

    /// A quoted string with MySQL's backslash escapes and doubled quotes.
    fn quoted(&mut self) -> Result<Vec<u8>, DumpError> {
        let quote = self.expect_next()?;
        let mut bytes = Vec::new();
        loop {
            match self.next()? {
                None => return Err(self.truncated()),
                Some(b'\\') => {
                    let escaped = self.expect_next()?;
                    // \% and \_ keep their backslash (they only mean something in LIKE).
                    if matches!(escaped, b'%' | b'_') {
                        bytes.push(b'\\');
                    }
                    bytes.push(match escaped {
                        b'0' => 0,
                        b'b' => 8,
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'Z' => 26,
                        other => other,
                    });
                }
                Some(byte) if byte == quote => {
                    if self.peek()? == Some(quote) {
                        self.next()?;
                        bytes.push(quote);
                    } else {
                        return Ok(bytes);
                    }
                }
                Some(byte) => bytes.push(byte),
            }
        }
    }
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(hex.get(at..at + 2)?, 16).ok())
        .collect()
}

/// The columns and charset in the body of a `CREATE TABLE` (after its name).
fn parse_table(definition: &str) -> Table {
    let mut columns = Vec::new();
    let (body, options) = match definition.rfind(')') {
        Some(end) => (&definition[..end], &definition[end + 1..]),
        None => (definition, ""),
    };
    let body = body.trim_start().strip_prefix('(').unwrap_or(body);
    for line in split_top_level(body) {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix('`') {
            if let Some(end) = rest.find('`') {
                columns.push(rest[..end].to_string());
            }
            continue;
        }
        let first = line
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let is_constraint = matches!(
            first.as_str(),
            "PRIMARY"
                | "KEY"
                | "UNIQUE"
                | "INDEX"
                | "FULLTEXT"
                | "CONSTRAINT"
                | "FOREIGN"
                | "SPATIAL"
                | "CHECK"
                | ""
        );
        if !is_constraint && let Some(name) = line.split_whitespace().next() {
            columns.push(name.to_string());
        }
    }
    let upper = options.to_ascii_uppercase();
    let charset = upper
        .find("CHARSET")
        .or_else(|| upper.find("CHARACTER SET"))
        .map(|at| {
            options[at..]
                .trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == ' ')
                .trim_start_matches(['=', ' '])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect::<String>()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    Table { columns, charset }
}

/// Splits a table body at commas that are not inside parentheses or quotes.
fn split_top_level(body: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut start = 0;
    let mut escaped = false;
    for (at, c) in body.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match quote {
            Some(_) if c == '\\' => escaped = true,
            Some(open) if c == open => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' | '`' => quote = Some(c),
                '(' => depth += 1,
                ')' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(&body[start..at]);
                    start = at + 1;
                }
                _ => {}
            },
        }
    }
    parts.push(&body[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(dump: &str) -> Result<Vec<(String, Vec<Value>)>, DumpError> {
        let mut reader = DumpReader::new(dump.as_bytes());
        let mut rows = Vec::new();
        reader.read(
            |_| true,
            |row| {
                rows.push((row.table.to_string(), row.values));
                Ok(())
            },
        )?;
        Ok(rows)
    }

    fn text(value: &str) -> Value {
        Value::Text(value.as_bytes().to_vec())
    }

    #[test]
    fn reads_extended_inserts_with_escapes() {
        let dump = "-- MySQL dump\n/*!40101 SET NAMES utf8 */;\n\
            CREATE TABLE `dede_flink` (\n  `id` smallint(5) NOT NULL,\n  `webname` char(30) NOT NULL DEFAULT '',\n  PRIMARY KEY (`id`)\n) ENGINE=MyISAM DEFAULT CHARSET=gbk;\n\
            INSERT INTO `dede_flink` VALUES (1,'It\\'s \"协会\"\\n'),(2,NULL),(3,'a''b;c');\n";
        let rows = rows(dump).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[0].1,
            vec![Value::Number("1".into()), text("It's \"协会\"\n")]
        );
        assert_eq!(rows[1].1[1], Value::Null);
        assert_eq!(rows[2].1[1], text("a'b;c"));
    }

    #[test]
    fn knows_columns_from_create_table_and_from_the_insert() {
        let dump = "CREATE TABLE IF NOT EXISTS `x_arctype` (`id` int, `typename` char(30), `content` text, KEY `k` (`id`,`typename`)) ENGINE=MyISAM DEFAULT CHARSET=latin1;\n\
            INSERT INTO x_arctype (`typename`, `id`) VALUES ('a', 7);";
        let mut reader = DumpReader::new(dump.as_bytes());
        let mut seen = Vec::new();
        reader
            .read(
                |_| true,
                |row| {
                    seen.push(row.get("id").and_then(Value::as_i64));
                    Ok(())
                },
            )
            .unwrap();
        assert_eq!(seen, vec![Some(7)]);
        let table = &reader.tables["x_arctype"];
        assert_eq!(table.columns, vec!["id", "typename", "content"]);
        assert_eq!(table.charset, "latin1");
    }

    #[test]
    fn reads_hex_binary_and_negative_numbers() {
        let rows = rows(
            "CREATE TABLE t (`a` int, `b` blob, `c` text);\nINSERT INTO t VALUES (-2,0x4142,_binary 'z');",
        )
        .unwrap();
        assert_eq!(rows[0].1[0].as_i64(), Some(-2));
        assert_eq!(rows[0].1[1], text("AB"));
        assert_eq!(rows[0].1[2], text("z"));
    }

    #[test]
    fn names_the_line_of_a_truncated_dump() {
        let error = rows("CREATE TABLE t (`a` text);\nINSERT INTO t VALUES ('ok'),\n('cut off")
            .unwrap_err()
            .to_string();
        assert!(error.contains("第 3 行"), "{error}");
        assert!(error.contains("不完整"), "{error}");
    }

    #[test]
    fn refuses_what_is_not_a_dump() {
        let error = rows("\u{7f}ELF\u{2}\u{1}binary").unwrap_err().to_string();
        assert!(error.contains("不是 MySQL"), "{error}");
        let error = rows("<?xml version=\"1.0\"?><rss/>")
            .unwrap_err()
            .to_string();
        assert!(error.contains("不是 MySQL"), "{error}");
        assert!(rows("").unwrap_err().to_string().contains("空"));
    }

    #[test]
    fn a_row_with_the_wrong_number_of_values_is_an_error() {
        let error = rows("CREATE TABLE t (`a` int, `b` int);\nINSERT INTO t VALUES (1);")
            .unwrap_err()
            .to_string();
        assert!(error.contains("1 个值"), "{error}");
    }

    #[test]
    fn notes_the_connection_character_set() {
        let mut reader = DumpReader::new("/*!40101 SET NAMES gbk */;\nSELECT 1;".as_bytes());
        reader.read(|_| true, |_| Ok(())).unwrap();
        assert_eq!(reader.declared.names.as_deref(), Some("gbk"));
    }
}
