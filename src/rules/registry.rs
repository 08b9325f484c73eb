//! Every rule, sorted by code. Adding a rule: its file, and one line here.

use super::*;

pub static RULES: &[&Rule] = &[
    &reading::SYNTAX_ERROR,
    &reading::UNREADABLE_FILE,
    &reading::NON_ASCII_IDENTIFIER,
    &reading::UNKNOWN_REFERENCE,
    &reading::DUPLICATE_ID,
    &unreachable_step::RULE,
    &bad_terminal::RULE,
    &no_way_out::RULE,
    &unlabelled_choice::RULE,
    &reading::MISSING_ATTRIBUTE,
    &reading::INVALID_VALUE,
    &no_deliver::RULE,
    &stacked_review::RULE,
    &pass_through_agency::RULE,
    &double_signature::RULE,
    &review_by_signer::RULE,
    &internal_transfer::RULE,
    &manual_assignment::RULE,
    &over_limit::RULE,
    &too_short_step::RULE,
    &too_long_step::RULE,
    &single_bottleneck::RULE,
    &over_capacity::RULE,
    &paper_handoff::RULE,
    &national_data_document::RULE,
    &in_person_on_full_online::RULE,
    &not_digitized_at_receipt::RULE,
    &approval_deadline::RULE,
    &approved_without_decision::RULE,
    &audit_overrun::RULE,
    &audit_padding::RULE,
    &audit_stamp::RULE,
    &audit_extra_activities::RULE,
    &audit_low_fitness::RULE,
    &audit_late::RULE,
];

/// The rule with this code.
pub fn find(code: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_sorted() {
        for pair in RULES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} before {}",
                pair[0].code,
                pair[1].code
            );
        }
    }

    #[test]
    fn every_rule_is_documented_in_both_languages() {
        for rule in RULES {
            assert!(
                rule.doc
                    .starts_with(&format!("# {} {}\n", rule.code, rule.name)),
                "{}: the doc must open with `# {} {}`",
                rule.code,
                rule.code,
                rule.name
            );
            for heading in [
                "## vi",
                "### Phát hiện gì",
                "### Vì sao quan trọng",
                "### Ví dụ",
                "### Cách sửa",
                "## en",
                "### What it detects",
                "### Why it matters",
                "### Example",
                "### How to fix",
            ] {
                assert!(
                    rule.doc.contains(heading),
                    "{} lacks `{heading}`",
                    rule.code
                );
            }
            let vi = rule.doc_in(Lang::Vi);
            let en = rule.doc_in(Lang::En);
            assert!(
                vi.contains("Phát hiện gì") && !vi.contains("What it detects"),
                "{}",
                rule.code
            );
            assert!(
                en.contains("What it detects") && !en.contains("Phát hiện gì"),
                "{}",
                rule.code
            );
        }
    }

    #[test]
    fn every_rule_has_a_fixture() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules");
        for rule in RULES {
            // A fixture is a file, or a folder holding a whole project (tests/rules.rs).
            assert!(
                dir.join(format!("{}.proc", rule.code)).exists() || dir.join(rule.code).is_dir(),
                "tests/rules/{}.proc (or the folder tests/rules/{}/) is missing",
                rule.code,
                rule.code
            );
        }
    }
}
