//! Lowering and the flow graph: resolution, durations, and worst-case time exactly as
//! LANGUAGE.md "Time semantics" defines it.

mod common;

use common::{lower, model, worst};
use quytrinh::analysis::{agencies, handoffs, levels};
use quytrinh::graph::FlowGraph;
use quytrinh::model::{Actor, GatewayKind, Kind, Rank, Status, Volume};

const AGENCIES: &str = r#"
agency mc "Một cửa" { role cc "Công chức" staff 2 }
agency pa "Phòng A" {
  role cv "Chuyên viên" rank staff staff 3
  role pp "Phó Trưởng phòng" rank deputy_head
  role tp "Trưởng phòng" rank head
}
agency ub "UBND" { role ct "Chủ tịch" rank leader }
"#;

fn with_agencies(body: &str) -> String {
    format!(
        "{AGENCIES}\nprocedure p \"P\" {{\n  code \"1\"; level ward; limit 10d; online none\n{body}\n}}\n"
    )
}

#[test]
fn resolves_roles_ranks_durations_and_attributes() {
    let m = model(&with_agencies(
        r#"
  volume 120/month
  status submitted
  basis "Luật A"
  basis "Nghị định B"
  step s1 "Tiếp nhận" { by mc.cc; kind receive; takes 0.5d; effort 30min; digitize }
  step s2 "Xem xét" { by pa.tp; kind review; takes 4h; requires "Đơn"; produces "Tờ trình" }
  step s3 "Bổ sung" { by citizen; kind supplement }
  step s4 "Trả" { by mc.cc; kind deliver }
  flow s1 -> s2 -> s4
"#,
    ));
    let p = &m.procedures[0];
    assert_eq!(p.volume.as_ref().unwrap().value, Volume::PerMonth(120.0));
    assert_eq!(p.status.value, Status::Submitted);
    assert_eq!(p.basis, vec!["Luật A", "Nghị định B"]);
    assert_eq!(p.limit.as_ref().unwrap().value, 4800);
    let s1 = &p.steps[0];
    assert_eq!(s1.takes.as_ref().unwrap().value, 240);
    assert_eq!(s1.effort.as_ref().unwrap().value, 30);
    assert!(s1.digitize);
    let (agency, role) = p.role_of(&p.steps[1]).unwrap();
    assert_eq!(
        (agency.id.as_str(), role.id.as_str(), role.rank),
        ("pa", "tp", Rank::Head)
    );
    assert_eq!(p.steps[2].by.as_ref().unwrap().value, Actor::Citizen);
    assert_eq!(p.steps[1].requires[0].value, "Đơn");
    // Agencies in order of first use.
    let ids: Vec<&str> = p.agencies.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, vec!["mc", "pa"]);
    assert!(p.agencies.iter().all(|a| a.shared));
}

#[test]
fn local_agencies_resolve_and_may_not_shadow_project_agencies() {
    let m = model(
        "procedure p \"P\" {\n  code \"1\"; level ward; limit 1d; online none\n  agency loc \"Địa phương\" { role x \"X\" }\n  step a \"A\" { by loc.x; kind deliver }\n}\n",
    );
    assert!(!m.procedures[0].agencies[0].shared);
    let (_, diags) = lower(&format!(
        "{AGENCIES}\nprocedure p \"P\" {{\n  agency mc \"Khác\" {{ role cc \"C\" }}\n}}\n"
    ));
    assert!(diags.iter().any(|d| d.code == "QT102"), "{diags:#?}");
}

#[test]
fn parallel_blocks_become_fork_and_join_gateways() {
    let m = model(&with_agencies(
        r#"
  step a "A" { by mc.cc; kind receive; takes 1h }
  step x "X" { by pa.cv; kind process; takes 2h }
  step y "Y" { by pa.cv; kind process; takes 3h }
  step d "D" { by mc.cc; kind deliver }
  flow a -> {x, y} -> d
"#,
    ));
    let p = &m.procedures[0];
    let kinds: Vec<GatewayKind> = p.gateways.iter().map(|g| g.kind).collect();
    assert_eq!(kinds, vec![GatewayKind::Fork, GatewayKind::Join]);
    assert_eq!(p.gateways[1].pair, Some(0));
    assert_eq!(p.edges.len(), 6);
}

#[test]
fn worst_case_of_a_sequence_is_the_sum_of_counted_steps() {
    let (minutes, path) = worst(&with_agencies(
        r#"
  step a "A" { by mc.cc; kind receive; takes 0.5d }
  step b "B" { by pa.cv; kind process; takes 2d }
  step c "C" { by citizen; kind pay }
  step e "E" { by pa.cv; kind supplement; takes 3d }
  step d "D" { by mc.cc; kind deliver }
  flow a -> b -> c -> e -> d
"#,
    ));
    assert_eq!(
        minutes,
        240 + 960,
        "citizen and supplement steps stop the clock"
    );
    assert_eq!(path, vec!["a", "b", "c", "e", "d"]);
}

#[test]
fn a_parallel_block_costs_its_slowest_branch() {
    let (minutes, path) = worst(&with_agencies(
        r#"
  step a "A" { by mc.cc; kind receive; takes 1h }
  step x "X" { by pa.cv; kind process; takes 2h }
  step x2 "X2" { by pa.cv; kind process; takes 2h }
  step y "Y" { by pa.cv; kind inspect; takes 3h }
  step d "D" { by mc.cc; kind deliver; takes 1h }
  flow a -> {x -> x2, y} -> d
"#,
    ));
    assert_eq!(minutes, 60 + 240 + 60);
    assert_eq!(path, vec!["a", "x", "x2", "d"]);
}

#[test]
fn an_exclusive_choice_costs_its_slowest_alternative_and_ties_go_to_the_first_written() {
    let text = with_agencies(
        r#"
  step a "A" { by mc.cc; kind receive; takes 1h }
  step fast "F" { by pa.cv; kind process; takes 1h }
  step slow "S" { by pa.cv; kind process; takes 5h }
  step same "T" { by pa.cv; kind process; takes 5h }
  step d "D" { by mc.cc; kind deliver }
  flow a -> fast -> d when "nhanh"
  flow a -> slow -> d when "chậm"
  flow a -> same -> d otherwise
"#,
    );
    let (minutes, path) = worst(&text);
    assert_eq!(minutes, 360);
    assert_eq!(
        path,
        vec!["a", "slow", "d"],
        "equal times: the first written wins"
    );
}

#[test]
fn back_edges_are_dropped_by_a_depth_first_search_in_written_order() {
    let text = with_agencies(
        r#"
  step nhan "Nhận" { by mc.cc; kind receive; takes 1h }
  step xl "Xử lý" { by pa.cv; kind process; takes 1d }
  step bs "Yêu cầu bổ sung" { by pa.cv; kind reject; takes 2h }
  step dan "Dân bổ sung" { by citizen; kind supplement }
  step tra "Trả" { by mc.cc; kind deliver; takes 1h }
  flow nhan -> xl -> tra otherwise
  flow xl -> dan -> nhan when "Thiếu"
  flow xl -> bs when "Sai"
"#,
    );
    let m = model(&text);
    let g = FlowGraph::new(&m.procedures[0]);
    let backs: Vec<usize> = (0..g.back_edge.len()).filter(|&e| g.back_edge[e]).collect();
    assert_eq!(backs.len(), 1);
    let e = &m.procedures[0].edges[backs[0]];
    assert_eq!(format!("{:?}->{:?}", e.from, e.to), "Step(3)->Step(0)");
    let (minutes, path) = worst(&text);
    assert_eq!(minutes, 60 + 480 + 120);
    assert_eq!(path, vec!["nhan", "xl", "bs"]);
}

#[test]
fn the_spec_example_has_the_figures_of_cli_md() {
    let text = format!(
        "{}\n{}",
        include_str!("../examples/agencies.proc"),
        include_str!("../examples/cap-giay-phep-xay-dung.proc")
    );
    let m = model(&text);
    let g = FlowGraph::new(&m.procedures[0]);
    assert_eq!(g.worst.as_ref().unwrap().minutes, 116 * 60);
    assert_eq!(levels(&g), 3);
    assert_eq!(handoffs(&g), 4);
    assert_eq!(agencies(&m.procedures[0]), 3);
    assert_eq!(m.procedures[0].steps[0].kind(), Some(Kind::Receive));
}
