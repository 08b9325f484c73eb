//! quytrinh: a process-modelling engine for the internal procedures of Vietnamese agencies.

pub mod calendar;
