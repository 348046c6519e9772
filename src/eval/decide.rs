//! The policy's sections applied to one client, in evaluation order: score,
//! grade, limit, terms, escalation, alerts.

use rust_decimal::Decimal;

use super::decision::{AlertRaised, FactorResult, ScoreResult};
use super::interpret::Frame;
use super::{EvalError, Evaluator};
use crate::check::names::METRICS;
use crate::check::{CheckedArm, CheckedEntry, CheckedFactor, Expr, FactorBody};
use crate::hooks::HookInput;
use crate::value::{GradeId, Value};

type Result<T> = std::result::Result<T, EvalError>;

/// True only for a condition that holds; the checker makes sure conditions
/// always have a value.
pub(super) fn holds(value: Value<'_>) -> bool {
    value == Value::Boolean(true)
}

impl<'a> Evaluator<'a> {
    pub(super) fn score<'e>(&self, frame: &Frame<'e>) -> Result<Option<ScoreResult<'a>>> {
        let Some(factors) = &self.policy.score else {
            return Ok(None);
        };
        let mut total = Decimal::ZERO;
        let mut results = Vec::with_capacity(factors.len());
        for factor in factors {
            let (points, arm) = self.factor_points(factor, frame)?;
            let weighted = factor
                .weight
                .checked_mul(points)
                .and_then(|w| total.checked_add(w));
            total = weighted.ok_or_else(|| self.factor_overflow(frame, factor))?;
            results.push(FactorResult {
                name: &factor.name,
                points,
                weight: factor.weight,
                arm,
            });
        }
        Ok(Some(ScoreResult {
            total,
            factors: results,
        }))
    }

    fn factor_points<'e>(
        &self,
        factor: &'a CheckedFactor,
        frame: &Frame<'e>,
    ) -> Result<(Decimal, &'a str)> {
        let arm = match &factor.body {
            FactorBody::Bands { arms, otherwise } => {
                self.band_arm(factor, arms, otherwise.as_ref(), frame)?
            }
            FactorBody::Hook { index, text } => match self.call_hook(factor, *index, frame)? {
                Some(points) => return Ok((points, text)),
                None => self.missing_arm(factor, frame)?,
            },
        };
        Ok((self.points(&arm.points, frame)?, &arm.text))
    }

    fn band_arm<'e>(
        &self,
        factor: &'a CheckedFactor,
        arms: &'a [(Expr, CheckedArm)],
        otherwise: Option<&'a CheckedArm>,
        frame: &Frame<'e>,
    ) -> Result<&'a CheckedArm> {
        for (condition, arm) in arms {
            match frame.eval(condition)? {
                Value::Boolean(true) => return Ok(arm),
                Value::Missing => return self.missing_arm(factor, frame),
                _ => {}
            }
        }
        // INVARIANT: the checker requires `otherwise` in every band factor.
        otherwise.ok_or_else(|| EvalError::MissingInput {
            client: frame.client.id.clone(),
            factor: factor.name.clone(),
        })
    }

    fn missing_arm<'e>(
        &self,
        factor: &'a CheckedFactor,
        frame: &Frame<'e>,
    ) -> Result<&'a CheckedArm> {
        // INVARIANT: the checker requires a `missing` arm wherever an input
        // can be missing and on every hook factor.
        factor
            .missing
            .as_ref()
            .ok_or_else(|| EvalError::MissingInput {
                client: frame.client.id.clone(),
                factor: factor.name.clone(),
            })
    }

    fn points<'e>(&self, points: &'a Expr, frame: &Frame<'e>) -> Result<Decimal> {
        Ok(frame.eval(points)?.as_decimal().unwrap_or(Decimal::ZERO))
    }

    fn call_hook<'e>(
        &self,
        factor: &CheckedFactor,
        index: usize,
        frame: &Frame<'e>,
    ) -> Result<Option<Decimal>> {
        let Some(loaded) = self.policy.hooks.get(index) else {
            return Ok(None);
        };
        let input = self.hook_input(frame);
        self.hooks
            .call(&loaded.hook, &input)
            .map_err(|error| EvalError::Hook {
                client: frame.client.id.clone(),
                factor: factor.name.clone(),
                error: Box::new(error),
            })
    }

    /// Collects the client's id, name and declared fields, and every metric
    /// over the default window.
    fn hook_input<'f>(&'f self, frame: &'f Frame<'a>) -> HookInput<'f> {
        let built_in = [
            ("id", Value::Text(&frame.client.id)),
            (
                "name",
                frame
                    .client
                    .name
                    .as_deref()
                    .map_or(Value::Missing, Value::Text),
            ),
        ];
        let declared = self
            .policy
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .zip(frame.fields.iter().copied());
        let client = built_in.into_iter().chain(declared);
        let metrics = METRICS
            .iter()
            .map(|info| (info.name, frame.metric_value(info.metric(0))));
        HookInput {
            client: client.collect(),
            metrics: metrics.collect(),
        }
    }

    fn factor_overflow<'e>(&self, frame: &Frame<'e>, factor: &CheckedFactor) -> EvalError {
        EvalError::ScoreOverflow {
            client: frame.client.id.clone(),
            factor: factor.name.clone(),
        }
    }

    pub(super) fn grade<'e>(&self, frame: &Frame<'e>) -> Result<Option<(GradeId, &'a str)>> {
        for rule in &self.policy.grades {
            let matches = match &rule.condition {
                None => true,
                Some(condition) => holds(frame.eval(condition)?),
            };
            if matches {
                return Ok(Some((rule.value, &rule.text)));
            }
        }
        Ok(None)
    }

    /// Finds the first entry for the client's grade whose condition holds.
    pub(super) fn entry<'e, V>(
        &self,
        entries: &'a [CheckedEntry<V>],
        frame: &Frame<'e>,
    ) -> Result<Option<&'a CheckedEntry<V>>> {
        let Some(grade) = frame.grade else {
            return Ok(None);
        };
        for entry in entries {
            let grade_matches = entry
                .grades
                .as_ref()
                .is_none_or(|grades| grades.contains(&grade));
            if !grade_matches {
                continue;
            }
            let condition_holds = match &entry.condition {
                None => true,
                Some(condition) => holds(frame.eval(condition)?),
            };
            if condition_holds {
                return Ok(Some(entry));
            }
        }
        Ok(None)
    }

    pub(super) fn limit<'e>(&self, frame: &Frame<'e>) -> Result<Option<(Decimal, &'a str)>> {
        let Some(entries) = &self.policy.limit else {
            return Ok(None);
        };
        let Some(entry) = self.entry(entries, frame)? else {
            return Ok(None);
        };
        let Some(limit) = frame.eval(&entry.value)?.as_decimal() else {
            return Ok(None);
        };
        if limit.is_sign_negative() && !limit.is_zero() {
            return Err(EvalError::NegativeLimit {
                client: frame.client.id.clone(),
                span: entry.value.span,
                limit,
                currency: self.policy.currency,
            });
        }
        Ok(Some((limit, entry.text.as_str())))
    }

    pub(super) fn alerts<'e>(&self, frame: &Frame<'e>) -> Result<Vec<AlertRaised<'a>>> {
        let mut raised = Vec::new();
        for alert in &self.policy.alerts {
            if holds(frame.eval(&alert.condition)?) {
                raised.push(AlertRaised {
                    name: &alert.name,
                    severity: alert.severity,
                });
            }
        }
        Ok(raised)
    }
}
