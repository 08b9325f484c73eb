//! `simulate --log`: the event log of the simulated dossiers, in the columns `audit` reads.
//!
//! The simulation runs on a working-time axis; an instant of the axis is placed on the
//! calendar as the instant that many working seconds after the opening of the first working
//! day on or after `--log-start`. Every working day having the same hours, this is exact both
//! ways: the working time the audit measures between two events of the log is the axis time
//! between them, so auditing the log gives back the simulation's figures.

use std::io::BufWriter;
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};

use crate::calendar::{CalendarSettings, WorkingCalendar};
use crate::model::{Actor, Procedure};
use crate::simulate::LogEvent;

/// The log file being written (a temporary file renamed into place at the end).
pub struct EventLog {
    writer: csv::Writer<BufWriter<tempfile::NamedTempFile>>,
    path: std::path::PathBuf,
    error: Option<std::io::Error>,
}

/// Writes the events of one procedure's simulation.
pub struct ProcedureLog<'a> {
    log: &'a mut EventLog,
    procedure: &'a Procedure,
    calendar: WorkingCalendar,
    origin: NaiveDateTime,
    resources: Vec<String>,
}

impl EventLog {
    pub fn create(path: &Path) -> std::io::Result<EventLog> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let file = tempfile::NamedTempFile::new_in(dir)?;
        let mut writer = csv::Writer::from_writer(BufWriter::new(file));
        writer.write_record([
            "case:concept:name",
            "concept:name",
            "time:timestamp",
            "org:resource",
            "lifecycle:transition",
            "case:procedure",
            "case:startdate",
        ])?;
        Ok(EventLog {
            writer,
            path: path.to_path_buf(),
            error: None,
        })
    }

    pub fn procedure<'a>(
        &'a mut self,
        procedure: &'a Procedure,
        settings: &CalendarSettings,
        start: NaiveDate,
    ) -> ProcedureLog<'a> {
        let calendar = WorkingCalendar::new(settings);
        let origin = calendar.start(start.and_time(chrono::NaiveTime::MIN));
        let resources = procedure
            .steps
            .iter()
            .map(|s| match s.by.as_ref().map(|b| b.value) {
                Some(Actor::Role { .. }) => procedure
                    .role_of(s)
                    .map(|(a, r)| format!("{} – {}", r.name, a.name))
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .collect();
        ProcedureLog {
            log: self,
            procedure,
            calendar,
            origin,
            resources,
        }
    }

    /// Renames the finished file into place.
    pub fn finish(mut self) -> std::io::Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.writer.flush()?;
        let file = self
            .writer
            .into_inner()
            .map_err(|e| std::io::Error::other(e.to_string()))?
            .into_inner()
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        file.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}

impl ProcedureLog<'_> {
    fn instant(&self, seconds: u64) -> NaiveDateTime {
        self.calendar.advance_by_seconds(self.origin, seconds)
    }

    pub fn event(&mut self, e: &LogEvent) {
        if self.log.error.is_some() {
            return;
        }
        let Some(step) = self.procedure.steps.get(e.step) else {
            return;
        };
        let case = format!("{}-{:07}", self.procedure.id, e.dossier);
        let time = format!("{}+07:00", self.instant(e.time).format("%Y-%m-%dT%H:%M:%S"));
        let received = format!(
            "{}+07:00",
            self.instant(e.arrival).format("%Y-%m-%dT%H:%M:%S")
        );
        let code = self.procedure.code.as_deref().unwrap_or(&self.procedure.id);
        let resource = self.resources.get(e.step).map_or("", String::as_str);
        let result = self.log.writer.write_record([
            case.as_str(),
            step.name.as_str(),
            time.as_str(),
            resource,
            if e.start { "start" } else { "complete" },
            code,
            received.as_str(),
        ]);
        if let Err(err) = result {
            self.log.error = Some(std::io::Error::other(err.to_string()));
        }
    }

    pub fn finish(self) {}
}
