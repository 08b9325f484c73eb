//! Who does a step: the text of the responsibility column mapped to the citizen, or to an
//! agency and a role with a rank.

use crate::model::Rank;
use crate::text::fold;

/// What sort of agency a responsibility names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AgencyKind {
    /// Bộ phận Một cửa, Bộ phận tiếp nhận và trả kết quả, Trung tâm Phục vụ hành chính công.
    OneStop,
    /// A department (phòng, chi cục, văn phòng…) with specialists and its heads.
    Department,
    /// The organisation itself (Sở, UBND, Ban…): its leaders and its clerk.
    Organisation,
}

/// The reading of one responsibility cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Guess {
    /// Tổ chức, cá nhân: the step is done by the citizen.
    pub citizen: bool,
    pub kind: AgencyKind,
    /// The agency's name when the cell gives one ("Phòng Quản lý đô thị").
    pub agency: Option<String>,
    pub role_id: &'static str,
    pub role_name: &'static str,
    pub rank: Rank,
    /// What the importer was not sure of (Vietnamese, for `// TODO` comments).
    pub notes: Vec<String>,
}

type RoleEntry = (
    &'static str,
    AgencyKind,
    &'static str,
    &'static str,
    Rank,
    Option<&'static str>,
);

/// Role words (folded), the agency they belong to, the role and its rank.
const ROLES: &[RoleEntry] = &[
    (
        "pho giam doc",
        AgencyKind::Organisation,
        "pho_giam_doc",
        "Phó Giám đốc",
        Rank::DeputyLeader,
        None,
    ),
    (
        "giam doc",
        AgencyKind::Organisation,
        "giam_doc",
        "Giám đốc",
        Rank::Leader,
        None,
    ),
    (
        "pho chu tich",
        AgencyKind::Organisation,
        "pho_chu_tich",
        "Phó Chủ tịch",
        Rank::DeputyLeader,
        None,
    ),
    (
        "chu tich",
        AgencyKind::Organisation,
        "chu_tich",
        "Chủ tịch",
        Rank::Leader,
        None,
    ),
    (
        "pho truong ban",
        AgencyKind::Organisation,
        "pho_truong_ban",
        "Phó Trưởng ban",
        Rank::DeputyLeader,
        None,
    ),
    (
        "truong ban",
        AgencyKind::Organisation,
        "truong_ban",
        "Trưởng ban",
        Rank::Leader,
        None,
    ),
    (
        "pho truong phong",
        AgencyKind::Department,
        "pho_truong_phong",
        "Phó Trưởng phòng",
        Rank::DeputyHead,
        None,
    ),
    (
        "truong phong",
        AgencyKind::Department,
        "truong_phong",
        "Trưởng phòng",
        Rank::Head,
        None,
    ),
    (
        "lanh dao phong",
        AgencyKind::Department,
        "lanh_dao_phong",
        "Lãnh đạo phòng",
        Rank::Head,
        Some(
            "“Lãnh đạo phòng” có thể là Trưởng phòng hoặc Phó Trưởng phòng: đã coi là `rank head`",
        ),
    ),
    (
        "lanh dao",
        AgencyKind::Organisation,
        "lanh_dao",
        "Lãnh đạo",
        Rank::Leader,
        Some("“Lãnh đạo” có thể là người đứng đầu hoặc cấp phó: đã coi là `rank leader`"),
    ),
    (
        "van thu",
        AgencyKind::Organisation,
        "van_thu",
        "Văn thư",
        Rank::Staff,
        None,
    ),
    (
        "chuyen vien",
        AgencyKind::Department,
        "chuyen_vien",
        "Chuyên viên",
        Rank::Staff,
        None,
    ),
    (
        "cong chuc",
        AgencyKind::Department,
        "cong_chuc",
        "Công chức",
        Rank::Staff,
        None,
    ),
    (
        "can bo",
        AgencyKind::Department,
        "can_bo",
        "Cán bộ",
        Rank::Staff,
        None,
    ),
    (
        "vien chuc",
        AgencyKind::Department,
        "vien_chuc",
        "Viên chức",
        Rank::Staff,
        None,
    ),
    (
        "nhan vien",
        AgencyKind::Department,
        "nhan_vien",
        "Nhân viên",
        Rank::Staff,
        None,
    ),
];

/// Words that name a one-stop office.
const ONE_STOP: &[&str] = &[
    "mot cua",
    "tiep nhan va tra ket qua",
    "tiep nhan va tra kq",
    "phuc vu hanh chinh cong",
    "bo phan tiep nhan",
];

/// Words that name the citizen.
const CITIZEN: &[&str] = &[
    "to chuc, ca nhan",
    "to chuc/ca nhan",
    "to chuc ca nhan",
    "ca nhan, to chuc",
    "ca nhan",
    "nguoi dan",
    "cong dan",
    "doanh nghiep",
    "nguoi nop ho so",
    "nguoi yeu cau",
    "chu ho so",
];

/// Words (folded) that begin the name of a department, and of an organisation.
const DEPARTMENT_WORDS: &[&str] = &["phong", "chi cuc", "van phong", "doi", "to"];
const ORGANISATION_WORDS: &[&str] = &[
    "so",
    "ubnd",
    "uy ban",
    "ban",
    "cuc",
    "tong cuc",
    "trung tam",
    "bo",
    "chi cuc",
    "van phong",
];

/// The one-stop office's role.
pub const ONE_STOP_ROLE: (&str, &str) = ("cong_chuc", "Công chức tiếp nhận và trả kết quả");

/// Reads a responsibility cell.
pub fn guess(text: &str) -> Guess {
    let folded = fold(text);
    let folded = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    let first = |phrases: &[&'static str]| -> Option<(usize, &'static str)> {
        phrases
            .iter()
            .filter_map(|p| position(&folded, p).map(|i| (i, *p)))
            .min_by_key(|(i, p)| (*i, usize::MAX - p.len()))
    };
    let one_stop = first(ONE_STOP);
    let citizen = first(CITIZEN);
    let mut roles: Vec<(usize, &RoleEntry)> = ROLES
        .iter()
        .filter_map(|entry| position(&folded, entry.0).map(|i| (i, entry)))
        .collect();
    roles.sort_by_key(|(i, e)| (*i, usize::MAX - e.0.len()));
    // Drop matches inside an earlier, longer match ("truong phong" inside "pho truong phong").
    let mut kept: Vec<(usize, &RoleEntry)> = Vec::new();
    for (i, e) in roles {
        if !kept.iter().any(|(j, k)| i < j + k.0.len()) {
            kept.push((i, e));
        }
    }
    let role_at = kept.first().map(|(i, _)| *i);
    let earliest =
        |at: Option<(usize, &str)>| at.is_some_and(|(i, _)| role_at.is_none_or(|r| i <= r));
    let mut notes = Vec::new();
    if earliest(citizen) && one_stop.is_none() {
        return Guess {
            citizen: true,
            kind: AgencyKind::Department,
            agency: None,
            role_id: "",
            role_name: "",
            rank: Rank::Staff,
            notes,
        };
    }
    if one_stop.is_some() {
        return Guess {
            citizen: false,
            kind: AgencyKind::OneStop,
            agency: name_from(text, &["bo phan", "trung tam"]),
            role_id: ONE_STOP_ROLE.0,
            role_name: ONE_STOP_ROLE.1,
            rank: Rank::Staff,
            notes,
        };
    }
    let distinct: Vec<&str> = {
        let mut v: Vec<&str> = kept.iter().map(|(_, e)| e.3).collect();
        v.dedup();
        v
    };
    if distinct.len() > 1 {
        notes.push(format!(
            "ô ghi nhiều người thực hiện ({}): bước được giao cho “{}”",
            distinct.join(", "),
            distinct.first().copied().unwrap_or_default()
        ));
    }
    let department = name_from(text, DEPARTMENT_WORDS);
    let organisation = name_from(text, ORGANISATION_WORDS);
    match kept.first() {
        Some(&(_, &(_, kind, role_id, role_name, rank, note))) => {
            notes.extend(note.map(String::from));
            let (kind, agency) = match kind {
                AgencyKind::Department if department.is_none() && organisation.is_some() => {
                    (AgencyKind::Organisation, organisation)
                }
                AgencyKind::Department => (kind, department),
                _ => (kind, organisation.or(department)),
            };
            Guess {
                citizen: false,
                kind,
                agency,
                role_id,
                role_name,
                rank,
                notes,
            }
        }
        None if department.is_some() => {
            notes.push(
                "ô chỉ ghi tên phòng, không ghi người thực hiện: đã coi là Chuyên viên".into(),
            );
            Guess {
                citizen: false,
                kind: AgencyKind::Department,
                agency: department,
                role_id: "chuyen_vien",
                role_name: "Chuyên viên",
                rank: Rank::Staff,
                notes,
            }
        }
        None if organisation.is_some() => {
            notes.push("ô chỉ ghi tên cơ quan, không ghi người thực hiện: đã coi là Lãnh đạo (`rank leader`)".into());
            Guess {
                citizen: false,
                kind: AgencyKind::Organisation,
                agency: organisation,
                role_id: "lanh_dao",
                role_name: "Lãnh đạo",
                rank: Rank::Leader,
                notes,
            }
        }
        None => {
            notes.push(format!(
                "không nhận ra người thực hiện “{}”: đã coi là Chuyên viên của một phòng chuyên môn",
                one_line(text)
            ));
            Guess {
                citizen: false,
                kind: AgencyKind::Department,
                agency: None,
                role_id: "chuyen_vien",
                role_name: "Chuyên viên",
                rank: Rank::Staff,
                notes,
            }
        }
    }
}

/// A cell's text on one line.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Byte position of a phrase as whole words in folded text.
fn position(folded: &str, phrase: &str) -> Option<usize> {
    folded.match_indices(phrase).map(|(i, _)| i).find(|&i| {
        let before = folded.get(..i).and_then(|s| s.chars().next_back());
        let after = folded
            .get(i + phrase.len()..)
            .and_then(|s| s.chars().next());
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The name of an agency written in a cell: the words from the first that begins one of
/// `starts` ("Phòng Quản lý đô thị" in "Chuyên viên Phòng Quản lý đô thị"), up to a comma,
/// a semicolon, a parenthesis or the end of the line. `None` when it is a bare type word.
fn name_from(text: &str, starts: &[&str]) -> Option<String> {
    let line = text.lines().next().unwrap_or_default();
    let line = line.split([',', ';', '(', '/']).next().unwrap_or_default();
    let words: Vec<&str> = line.split_whitespace().collect();
    let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
    let begins = |i: usize| {
        starts.iter().any(|s| {
            let parts: Vec<&str> = s.split(' ').collect();
            parts
                .iter()
                .enumerate()
                .all(|(k, p)| folded.get(i + k).is_some_and(|w| w == p))
        })
    };
    let at = (0..words.len()).find(|&i| begins(i))?;
    let name = words.get(at..)?;
    if name.len() < 2 {
        return None;
    }
    let mut text = name.join(" ");
    if let Some(c) = text.chars().next() {
        let upper: String = c.to_uppercase().collect();
        text.replace_range(..c.len_utf8(), &upper);
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (AgencyKind, Option<String>, &'static str, Rank) {
        let g = guess(text);
        (g.kind, g.agency, g.role_id, g.rank)
    }

    #[test]
    fn maps_the_usual_responsibilities() {
        assert_eq!(read("Bộ phận Một cửa").0, AgencyKind::OneStop);
        assert_eq!(
            read("Công chức Bộ phận tiếp nhận và trả kết quả"),
            (
                AgencyKind::OneStop,
                Some("Bộ phận tiếp nhận và trả kết quả".into()),
                "cong_chuc",
                Rank::Staff
            )
        );
        assert_eq!(
            read("Trung tâm Phục vụ hành chính công").0,
            AgencyKind::OneStop
        );
        assert_eq!(
            read("Chuyên viên Phòng Quản lý đô thị"),
            (
                AgencyKind::Department,
                Some("Phòng Quản lý đô thị".into()),
                "chuyen_vien",
                Rank::Staff
            )
        );
        assert_eq!(read("Công chức").2, "cong_chuc");
        assert_eq!(read("Phó Trưởng phòng").3, Rank::DeputyHead);
        assert_eq!(read("Trưởng phòng Tư pháp").1, Some("Phòng Tư pháp".into()));
        assert_eq!(read("Trưởng phòng").3, Rank::Head);
        assert_eq!(read("Lãnh đạo phòng").3, Rank::Head);
        assert!(!guess("Lãnh đạo phòng").notes.is_empty());
        assert_eq!(
            read("Lãnh đạo UBND quận"),
            (
                AgencyKind::Organisation,
                Some("UBND quận".into()),
                "lanh_dao",
                Rank::Leader
            )
        );
        assert_eq!(read("Lãnh đạo Sở").3, Rank::Leader);
        assert_eq!(read("Giám đốc Sở Tư pháp").1, Some("Sở Tư pháp".into()));
        assert_eq!(read("Phó Giám đốc").3, Rank::DeputyLeader);
        assert_eq!(read("Phó Chủ tịch UBND phường").3, Rank::DeputyLeader);
        assert_eq!(read("Văn thư").2, "van_thu");
        assert_eq!(read("Văn thư").0, AgencyKind::Organisation);
        assert!(guess("Tổ chức, cá nhân").citizen);
        assert!(!guess("Bộ phận Một cửa").citizen);
    }

    #[test]
    fn marks_what_it_guessed() {
        assert!(!guess("Chuyên viên, Lãnh đạo phòng").notes.is_empty());
        assert!(!guess("Phòng Tài nguyên và Môi trường").notes.is_empty());
        assert!(!guess("Tổ công tác liên ngành XYZ").notes.is_empty());
        assert!(guess("Chuyên viên").notes.is_empty());
    }
}
