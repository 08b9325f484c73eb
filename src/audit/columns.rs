//! Which column of a log holds what: header names recognised case-insensitively with accents
//! folded (AUDIT.md, "The log"), and overrides from `--columns` or `[audit.columns]`.

use std::collections::BTreeMap;

use crate::diag::Text;
use crate::text::fold;

/// What a column of the log holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    Case,
    Activity,
    Time,
    Resource,
    Lifecycle,
    Procedure,
    Deadline,
    Received,
    Channel,
}

impl Key {
    pub const ALL: [Key; 9] = [
        Key::Case,
        Key::Activity,
        Key::Time,
        Key::Resource,
        Key::Lifecycle,
        Key::Procedure,
        Key::Deadline,
        Key::Received,
        Key::Channel,
    ];

    /// The key's name in `--columns` and `[audit.columns]`.
    pub fn as_str(self) -> &'static str {
        match self {
            Key::Case => "case",
            Key::Activity => "activity",
            Key::Time => "time",
            Key::Resource => "resource",
            Key::Lifecycle => "lifecycle",
            Key::Procedure => "procedure",
            Key::Deadline => "deadline",
            Key::Received => "received",
            Key::Channel => "channel",
        }
    }

    pub fn parse(text: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|k| k.as_str() == text.trim())
    }

    pub fn required(self) -> bool {
        matches!(self, Key::Case | Key::Activity | Key::Time)
    }

    /// The header names recognised, as AUDIT.md lists them.
    pub fn names(self) -> &'static [&'static str] {
        match self {
            Key::Case => &["case:concept:name", "Mã hồ sơ", "ma_ho_so", "Số hồ sơ"],
            Key::Activity => &["concept:name", "Bước", "Công việc", "buoc"],
            Key::Time => &["time:timestamp", "Thời điểm", "thoi_diem", "Thời gian"],
            Key::Resource => &["org:resource", "Cán bộ xử lý", "can_bo"],
            Key::Lifecycle => &["lifecycle:transition"],
            Key::Procedure => &["case:procedure", "Mã TTHC", "Mã thủ tục", "ma_thu_tuc"],
            Key::Deadline => &["case:deadline", "Ngày hẹn trả", "han_tra"],
            Key::Received => &["case:startdate", "Ngày tiếp nhận", "ngay_tiep_nhan"],
            Key::Channel => &["case:channel", "Kênh", "Hình thức nộp"],
        }
    }

    /// The trace attribute of XES that stands for a `case:` column, if the key is one.
    pub fn trace_attribute(self) -> Option<&'static str> {
        match self {
            Key::Case => Some("concept:name"),
            Key::Procedure => Some("procedure"),
            Key::Deadline => Some("deadline"),
            Key::Received => Some("startdate"),
            Key::Channel => Some("channel"),
            _ => None,
        }
    }
}

/// A header folded for comparison: accents and case folded, spaces, `_` and `-` as one space.
pub fn fold_header(text: &str) -> String {
    let folded = fold(text.trim().trim_start_matches('\u{feff}'));
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        let c = if c == '_' || c == '-' { ' ' } else { c };
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out.trim_end().to_string()
}

/// `--columns case=Số HS,time=Ngày` read into keys and header names.
pub fn parse_overrides(text: &str) -> Result<BTreeMap<Key, String>, String> {
    let mut out = BTreeMap::new();
    for part in text.split(',').filter(|p| !p.trim().is_empty()) {
        let (key, header) = part
            .split_once('=')
            .ok_or_else(|| format!("`{part}` is not KEY=HEADER (e.g. case=Số hồ sơ)"))?;
        let key = Key::parse(key).ok_or_else(|| {
            format!(
                "`{}` is not a column key; the keys are {}",
                key.trim(),
                Key::ALL.map(|k| k.as_str()).join(", ")
            )
        })?;
        out.insert(key, header.trim().to_string());
    }
    Ok(out)
}

/// The position of each key's column in a header row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap {
    positions: [Option<usize>; 9],
}

impl ColumnMap {
    pub fn get(&self, key: Key) -> Option<usize> {
        self.positions[key as usize]
    }

    /// Finds the columns in a header row. Overrides name a header (compared folded) for a key.
    pub fn find(headers: &[String], overrides: &BTreeMap<Key, String>) -> Result<ColumnMap, Text> {
        let folded: Vec<String> = headers.iter().map(|h| fold_header(h)).collect();
        let mut map = ColumnMap::default();
        for key in Key::ALL {
            let position = match overrides.get(&key) {
                Some(name) => {
                    let wanted = fold_header(name);
                    let found = folded.iter().position(|h| *h == wanted);
                    if found.is_none() {
                        return Err(Text::new(
                            format!(
                                "the column `{name}` given for `{}` is not in the log; its columns are: {}",
                                key.as_str(),
                                list(headers)
                            ),
                            format!(
                                "nhật ký không có cột “{name}” được chỉ định cho `{}`; các cột của tệp: {}",
                                key.as_str(),
                                list(headers)
                            ),
                        ));
                    }
                    found
                }
                None => key.names().iter().find_map(|name| {
                    let wanted = fold_header(name);
                    folded.iter().position(|h| *h == wanted)
                }),
            };
            map.positions[key as usize] = position;
        }
        // `concept:name` as the activity must not be the case column of a process-mining
        // header (`case:concept:name` folds differently, so this only guards overrides).
        let missing: Vec<Key> = Key::ALL
            .into_iter()
            .filter(|k| k.required() && map.get(*k).is_none())
            .collect();
        if !missing.is_empty() {
            let expected = |lang_vi: bool| {
                missing
                    .iter()
                    .map(|k| {
                        let names = k
                            .names()
                            .iter()
                            .map(|n| format!("“{n}”"))
                            .collect::<Vec<_>>()
                            .join(if lang_vi { " hoặc " } else { " or " });
                        format!("{} ({names})", k.as_str())
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            return Err(Text::new(
                format!(
                    "the log lacks a required column: {}. Its columns are: {}. Rename the header, or name it with --columns (e.g. --columns case=\"Số HS\") or [audit.columns] in quytrinh.toml",
                    expected(false),
                    list(headers)
                ),
                format!(
                    "nhật ký thiếu cột bắt buộc: {}. Các cột của tệp: {}. Hãy đổi tên tiêu đề cột, hoặc chỉ định bằng --columns (ví dụ --columns case=\"Số HS\") hay mục [audit.columns] trong quytrinh.toml",
                    expected(true),
                    list(headers)
                ),
            ));
        }
        Ok(map)
    }
}

fn list(headers: &[String]) -> String {
    if headers.iter().all(|h| h.trim().is_empty()) {
        return "(none)".to_string();
    }
    headers
        .iter()
        .take(40)
        .map(|h| format!("“{}”", h.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The channel a dossier was filed through (AUDIT.md: values mapped by words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Channel {
    Online,
    Direct,
    Post,
    #[default]
    Other,
}

impl Channel {
    pub const ALL: [Channel; 4] = [
        Channel::Online,
        Channel::Direct,
        Channel::Post,
        Channel::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Direct => "direct",
            Channel::Post => "post",
            Channel::Other => "other",
        }
    }

    /// Reads a channel value by its words: `Internet`, `trực tuyến`, `online` → online;
    /// `Desk`, `trực tiếp`, `direct` → direct; `Post`, `bưu chính` → post; else other.
    pub fn of(value: &str) -> Channel {
        let v = fold(value);
        let has = |w: &str| v.contains(w);
        if has("internet") || has("truc tuyen") || has("online") || has("dich vu cong") {
            Channel::Online
        } else if has("desk") || has("truc tiep") || has("direct") || has("mot cua") {
            Channel::Direct
        } else if has("post") || has("buu chinh") || has("buu dien") {
            Channel::Post
        } else {
            Channel::Other
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn recognises_vietnamese_and_process_mining_headers() {
        let vn = ColumnMap::find(
            &headers(&[
                "STT",
                "MÃ HỒ SƠ",
                "bước",
                "Thời  điểm",
                "Cán bộ xử lý",
                "Mã TTHC",
            ]),
            &BTreeMap::new(),
        )
        .unwrap();
        assert_eq!(vn.get(Key::Case), Some(1));
        assert_eq!(vn.get(Key::Activity), Some(2));
        assert_eq!(vn.get(Key::Time), Some(3));
        assert_eq!(vn.get(Key::Resource), Some(4));
        assert_eq!(vn.get(Key::Procedure), Some(5));
        let pm = ColumnMap::find(
            &headers(&[
                "case:concept:name",
                "concept:name",
                "time:timestamp",
                "lifecycle:transition",
            ]),
            &BTreeMap::new(),
        )
        .unwrap();
        assert_eq!(pm.get(Key::Case), Some(0));
        assert_eq!(pm.get(Key::Activity), Some(1));
        assert_eq!(pm.get(Key::Lifecycle), Some(3));
    }

    #[test]
    fn a_missing_column_lists_what_was_found_and_what_is_expected() {
        let e = ColumnMap::find(&headers(&["id", "step", "when"]), &BTreeMap::new()).unwrap_err();
        assert!(e.en.contains("“id”, “step”, “when”"), "{}", e.en);
        assert!(
            e.en.contains("case (“case:concept:name” or “Mã hồ sơ”"),
            "{}",
            e.en
        );
        let o = parse_overrides("case=id,activity=step,time=when").unwrap();
        let m = ColumnMap::find(&headers(&["id", "step", "when"]), &o).unwrap();
        assert_eq!(m.get(Key::Time), Some(2));
    }

    #[test]
    fn channels_are_read_by_words() {
        assert_eq!(Channel::of("Internet"), Channel::Online);
        assert_eq!(Channel::of("Nộp trực tuyến"), Channel::Online);
        assert_eq!(Channel::of("Trực tiếp"), Channel::Direct);
        assert_eq!(Channel::of("Bưu chính công ích"), Channel::Post);
        assert_eq!(Channel::of("fax"), Channel::Other);
    }
}
