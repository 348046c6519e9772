//! A policy file and a native ledger folder written for one test case,
//! and the evaluator run over them.

// Each test crate that includes this file uses a different part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use solvent::check::{CheckedPolicy, check_file};
use solvent::diagnostic::RenderStyle;
use solvent::eval::{EvalError, Evaluator};
use solvent::hooks::{HookEngine, HookLimits};
use solvent::ledger::Ledger;

pub const AS_OF: &str = "2027-03-31";

/// A policy file and a native ledger folder in a fresh temporary folder.
pub struct Case {
    pub folder: PathBuf,
}

impl Case {
    pub fn new(name: &str) -> Case {
        let folder = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("eval-rules")
            .join(name);
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(folder.join("ledger")).unwrap();
        Case { folder }
    }

    pub fn file(self, name: &str, text: &str) -> Case {
        let path = self.folder.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    pub fn policy(self, text: &str) -> Case {
        self.file("case.policy", text)
    }

    pub fn clients(self, csv: &str) -> Case {
        self.file("ledger/clients.csv", csv)
    }

    pub fn invoices(self, csv: &str) -> Case {
        self.file("ledger/invoices.csv", csv)
    }

    pub fn payments(self, csv: &str) -> Case {
        self.file("ledger/payments.csv", csv)
    }

    pub fn checked(&self, engine: &HookEngine) -> CheckedPolicy {
        let (source, outcome) = check_file(&self.folder.join("case.policy"), engine).unwrap();
        let rendered: Vec<String> = outcome
            .diagnostics
            .iter()
            .map(|d| d.render(&source, RenderStyle::Plain))
            .collect();
        outcome
            .policy
            .unwrap_or_else(|| panic!("policy rejected:\n{}", rendered.join("\n")))
    }

    pub fn ledger(&self) -> Ledger {
        Ledger::load(&self.folder.join("ledger")).unwrap()
    }

    /// Evaluates every client and returns the decisions as JSON values.
    pub fn decisions(&self) -> Vec<serde_json::Value> {
        self.decisions_at(AS_OF)
    }

    /// Evaluates every client at `as_of` and returns the decisions as JSON.
    pub fn decisions_at(&self, as_of: &str) -> Vec<serde_json::Value> {
        let engine = HookEngine::new(HookLimits::default());
        let policy = self.checked(&engine);
        let ledger = self.ledger();
        let evaluator = Evaluator::new(&policy, &ledger, &engine, date(as_of)).unwrap();
        let decisions = evaluator.evaluate_all().unwrap();
        decisions
            .iter()
            .map(|d| serde_json::to_value(d).unwrap())
            .collect()
    }

    pub fn errors(&self) -> (CheckedPolicy, Vec<EvalError>) {
        let engine = HookEngine::new(HookLimits::default());
        let policy = self.checked(&engine);
        let ledger = self.ledger();
        let evaluator = Evaluator::new(&policy, &ledger, &engine, date(AS_OF)).unwrap();
        let errors = evaluator.evaluate_all().unwrap_err();
        (policy, errors)
    }
}

pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

pub const HEADER: &str = "policy \"case\" version 1\ncurrency EUR\n";

pub const NO_PAYMENTS: &str = "id,client,date,amount,invoice\n";
