//! The chairman's approval packet (`ID.html`) and the catalogue of packets (`index.html`).

mod html;
mod index;
mod shared;

pub use html::{Issuer, PacketInput, Proposal, date_line, packet_html, packet_html_with};
pub use index::{IndexEntry, index_html};
pub use shared::{date_vi, days_left_vi};
