//! The chairman's approval packet (`ID.html`) and the catalogue of packets (`index.html`).

mod html;
mod index;

pub use html::{
    Issuer, PacketInput, Proposal, date_line, date_vi, days_left_vi, packet_html, packet_html_with,
};
pub use index::{IndexEntry, index_html};
