//! Parses policy text with the pest grammar and converts the parse tree into
//! the AST. Spans are converted from pest here, once.

use std::str::FromStr;
use std::sync::LazyLock;

use chrono::NaiveDate;
use pest::Parser as _;
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use rust_decimal::Decimal;

use super::ast::*;
use super::error::syntax_error;
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::value::Type;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/policy.pest"]
pub(super) struct PolicyParser;

/// Operator precedence, loosest first; see the `expr` rule in the grammar.
static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::if_missing_op, Assoc::Left))
        .op(Op::infix(Rule::or_op, Assoc::Left))
        .op(Op::infix(Rule::and_op, Assoc::Left))
        .op(Op::prefix(Rule::not_op))
        .op(Op::infix(Rule::lt_op, Assoc::Left)
            | Op::infix(Rule::le_op, Assoc::Left)
            | Op::infix(Rule::gt_op, Assoc::Left)
            | Op::infix(Rule::ge_op, Assoc::Left)
            | Op::infix(Rule::eq_op, Assoc::Left)
            | Op::infix(Rule::ne_op, Assoc::Left)
            | Op::infix(Rule::in_op, Assoc::Left))
        .op(Op::infix(Rule::add_op, Assoc::Left) | Op::infix(Rule::sub_op, Assoc::Left))
        .op(Op::infix(Rule::mul_op, Assoc::Left) | Op::infix(Rule::div_op, Assoc::Left))
        .op(Op::infix(Rule::of_op, Assoc::Left))
        .op(Op::prefix(Rule::neg_op))
});

/// Parentheses and square brackets deeper than this are rejected before
/// parsing, so that no input can exhaust the parser's stack. Real
/// conditions nest a few levels. Braces need no bound: the grammar allows
/// two levels of them, so a deeper one is a syntax error found right away.
pub const MAX_NESTING: usize = 32;

/// Operators and operands in one expression, nested ones included. The
/// bound keeps the expression tree shallow enough for recursive checking,
/// evaluation and dropping.
pub const MAX_EXPRESSION_PARTS: usize = 500;

/// Parses a policy. A syntax error stops parsing, so there is at most one.
pub fn parse(text: &str) -> std::result::Result<Policy, Box<Diagnostic>> {
    // A byte-order mark becomes three spaces, so every span stays the same.
    let unmarked;
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => {
            unmarked = format!("   {rest}");
            unmarked.as_str()
        }
        None => text,
    };
    check_nesting(text)?;
    // Collecting the literal tokens the parser expected (`=>`, `}`) costs a
    // little time and gives far better messages; policies are small.
    pest::set_error_detail(true);
    let mut pairs = PolicyParser::parse(Rule::policy, text)
        .map_err(|error| Box::new(syntax_error(text, &error)))?;
    let policy = pairs.next().map(|pair| pair.into_inner());
    let mut inner = policy.ok_or_else(|| {
        Box::new(Diagnostic::error(
            "syntax",
            Span::default(),
            "the policy is empty",
        ))
    })?;
    convert_policy(&mut inner)
}

type Result<T> = std::result::Result<T, Box<Diagnostic>>;

/// Converts a pair's span, leaving out the whitespace and comments that pest
/// folds into a rule ending in an optional or repeated part.
fn span(pair: &Pair<'_, Rule>) -> Span {
    let start = pair.as_span().start();
    Span::new(start, start + content_len(pair.as_str()))
}

/// Measures `text` up to the end of its last token, skipping trailing
/// whitespace and comments. A `#` inside a string does not start a comment.
fn content_len(text: &str) -> usize {
    let mut end = 0;
    let mut in_string = false;
    let mut in_comment = false;
    let mut escaped = false;
    for (offset, c) in text.char_indices() {
        if in_comment {
            in_comment = c != '\n';
            continue;
        }
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' | '\n' => in_string = false,
                _ => {}
            }
        } else if c == '#' {
            in_comment = true;
            continue;
        } else if c == '"' {
            in_string = true;
        }
        if !c.is_whitespace() {
            end = offset + c.len_utf8();
        }
    }
    end
}

/// Takes the next child; the grammar guarantees it exists, so its absence is
/// an internal error reported at the parent's span rather than a panic.
fn next<'i>(pairs: &mut Pairs<'i, Rule>, parent: Span) -> Result<Pair<'i, Rule>> {
    pairs
        .next()
        .ok_or_else(|| internal(parent, "a part of the rule is missing"))
}

fn internal(span: Span, what: &str) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            "internal",
            span,
            format!("the parse tree does not match the grammar: {what}"),
        )
        .with_help("this is a bug in solvent; please report it with the policy that triggers it"),
    )
}

fn convert_policy(pairs: &mut Pairs<'_, Rule>) -> Result<Policy> {
    let mut header = None;
    let mut sections = Vec::new();
    for pair in pairs {
        match pair.as_rule() {
            Rule::header => header = Some(convert_header(pair)?),
            Rule::EOI => {}
            _ => sections.push(convert_section(pair)?),
        }
    }
    let header = header.ok_or_else(|| internal(Span::default(), "no header"))?;
    Ok(Policy { header, sections })
}

fn convert_header(pair: Pair<'_, Rule>) -> Result<Header> {
    let header_span = span(&pair);
    let mut inner = pair.into_inner();
    let line = next(&mut inner, header_span)?;
    let line_span = span(&line);
    let mut parts = line.into_inner().filter(|p| !is_keyword(p));
    let name = convert_string(parts.next().ok_or_else(|| internal(line_span, "name"))?);
    let version_pair = parts.next().ok_or_else(|| internal(line_span, "version"))?;
    let version = convert_integer(&version_pair)?;

    let settings = inner.map(convert_setting).collect::<Result<Vec<_>>>()?;
    Ok(Header {
        name,
        version,
        settings,
        span: line_span,
    })
}

fn convert_setting(pair: Pair<'_, Rule>) -> Result<Setting> {
    let setting_span = span(&pair);
    let rule = pair.as_rule();
    let mut parts = pair.into_inner().filter(|p| !is_keyword(p));
    let first = parts
        .next()
        .ok_or_else(|| internal(setting_span, "setting value"))?;
    match rule {
        Rule::currency_setting => Ok(Setting::Currency(Spanned::new(
            first.as_str().to_string(),
            span(&first),
        ))),
        Rule::effective_setting => Ok(Setting::Effective(convert_date(&first)?)),
        Rule::max_terms_setting => {
            let net = convert_days(first)?;
            let end_of_month = parts.next().map(convert_days).transpose()?;
            Ok(Setting::MaxTerms(MaxTerms {
                net,
                end_of_month,
                span: setting_span,
            }))
        }
        _ => Err(internal(setting_span, "unknown setting")),
    }
}

fn convert_section(pair: Pair<'_, Rule>) -> Result<Section> {
    let section_span = span(&pair);
    let rule = pair.as_rule();
    let mut inner = pair.into_inner();
    let keyword = span(&next(&mut inner, section_span)?);
    match rule {
        Rule::fields_section => Ok(Section::Fields(FieldsSection {
            keyword,
            fields: inner.map(convert_field).collect::<Result<_>>()?,
        })),
        Rule::score_section => Ok(Section::Score(ScoreSection {
            keyword,
            factors: inner.map(convert_factor).collect::<Result<_>>()?,
        })),
        Rule::grades_section => Ok(Section::Grades(GradesSection {
            keyword,
            rules: inner.map(convert_grade_rule).collect::<Result<_>>()?,
        })),
        Rule::limit_section => Ok(Section::Limit(EntrySection {
            keyword,
            entries: inner
                .map(|entry| convert_entry(entry, convert_expr))
                .collect::<Result<_>>()?,
        })),
        Rule::terms_section => Ok(Section::Terms(EntrySection {
            keyword,
            entries: inner
                .map(|entry| convert_entry(entry, convert_terms))
                .collect::<Result<_>>()?,
        })),
        Rule::escalation_section => convert_escalation(keyword, inner).map(Section::Escalation),
        Rule::alerts_section => Ok(Section::Alerts(AlertsSection {
            keyword,
            alerts: inner.map(convert_alert).collect::<Result<_>>()?,
        })),
        Rule::penalties_section => Ok(Section::Penalties(PenaltiesSection {
            keyword,
            rules: inner.map(convert_penalty_rule).collect::<Result<_>>()?,
        })),
        Rule::orders_section => Ok(Section::Orders(OrdersSection {
            keyword,
            rules: inner.map(convert_order_rule).collect::<Result<_>>()?,
        })),
        _ => Err(internal(section_span, "unknown section")),
    }
}

fn convert_field(pair: Pair<'_, Rule>) -> Result<FieldDecl> {
    let field_span = span(&pair);
    let mut parts = pair.into_inner().filter(|p| !is_keyword(p));
    let name = convert_ident(parts.next().ok_or_else(|| internal(field_span, "name"))?);
    let type_pair = parts.next().ok_or_else(|| internal(field_span, "type"))?;
    let ty = Type::from_name(type_pair.as_str())
        .ok_or_else(|| internal(span(&type_pair), "unknown type name"))?;
    let default = parts.next().map(convert_field_default).transpose()?;
    Ok(FieldDecl {
        name,
        ty: Spanned::new(ty, span(&type_pair)),
        default,
        span: field_span,
    })
}

/// Converts a field default, a literal with an optional minus sign that
/// becomes a negation node.
fn convert_field_default(pair: Pair<'_, Rule>) -> Result<Expr> {
    let default_span = span(&pair);
    let mut parts = pair.into_inner();
    let first = next(&mut parts, default_span)?;
    if first.as_rule() != Rule::neg_op {
        return convert_literal(first);
    }
    let literal = convert_literal(next(&mut parts, default_span)?)?;
    Ok(Expr {
        kind: ExprKind::Unary(UnaryOp::Negate, Box::new(literal)),
        span: default_span,
    })
}

fn convert_factor(pair: Pair<'_, Rule>) -> Result<Factor> {
    let factor_span = span(&pair);
    let mut parts = pair.into_inner().filter(|p| !is_keyword(p));
    let name = convert_string(parts.next().ok_or_else(|| internal(factor_span, "name"))?);
    let weight = convert_percent(
        &parts
            .next()
            .ok_or_else(|| internal(factor_span, "weight"))?,
    )?;

    let mut hook = None;
    let mut arms = Vec::new();
    for part in parts {
        match part.as_rule() {
            Rule::hook_source => {
                let path = part.into_inner().find(|p| p.as_rule() == Rule::string);
                hook = path.map(convert_string);
            }
            Rule::arms => {
                for arm in part.into_inner() {
                    arms.push(convert_arm(arm)?);
                }
            }
            _ => return Err(internal(span(&part), "unexpected part of a factor")),
        }
    }
    Ok(Factor {
        name,
        weight,
        hook,
        arms,
        span: factor_span,
    })
}

fn convert_arm(pair: Pair<'_, Rule>) -> Result<Arm> {
    let arm_span = span(&pair);
    let rule = pair.as_rule();
    let mut parts = pair.into_inner();
    let keyword = span(&next(&mut parts, arm_span)?);
    let kind = match rule {
        Rule::when_arm => ArmKind::When(convert_expr(next(&mut parts, arm_span)?)?),
        Rule::otherwise_arm => ArmKind::Otherwise(keyword),
        Rule::missing_arm => ArmKind::Missing(keyword),
        _ => return Err(internal(arm_span, "unknown arm")),
    };
    let points = convert_expr(next(&mut parts, arm_span)?)?;
    Ok(Arm {
        kind,
        points,
        span: arm_span,
    })
}

fn convert_grade_rule(pair: Pair<'_, Rule>) -> Result<GradeRule> {
    let rule_span = span(&pair);
    let mut parts = pair.into_inner().filter(|p| !is_keyword(p));
    let grade = convert_ident(parts.next().ok_or_else(|| internal(rule_span, "grade"))?);
    let condition = parts.next().map(convert_expr).transpose()?;
    Ok(GradeRule {
        grade,
        condition,
        span: rule_span,
    })
}

fn convert_entry<V>(
    pair: Pair<'_, Rule>,
    convert_value: fn(Pair<'_, Rule>) -> Result<V>,
) -> Result<Entry<V>> {
    let entry_span = span(&pair);
    let mut parts = pair.into_inner().filter(|p| !is_keyword(p));
    let selector = parts.next().ok_or_else(|| internal(entry_span, "grades"))?;
    let grades = convert_grade_selector(selector);

    let mut rest: Vec<Pair<'_, Rule>> = parts.collect();
    let value_pair = rest.pop().ok_or_else(|| internal(entry_span, "value"))?;
    let condition = rest.pop().map(convert_expr).transpose()?;
    Ok(Entry {
        grades,
        condition,
        value: convert_value(value_pair)?,
        span: entry_span,
    })
}

fn convert_grade_selector(pair: Pair<'_, Rule>) -> GradeSelector {
    let selector_span = span(&pair);
    let parts: Vec<Pair<'_, Rule>> = pair.into_inner().collect();
    if parts.iter().any(|p| p.as_rule() == Rule::kw_otherwise) {
        return GradeSelector::Otherwise(selector_span);
    }
    GradeSelector::Grades(parts.into_iter().map(convert_ident).collect())
}

fn convert_terms(pair: Pair<'_, Rule>) -> Result<Spanned<TermsValue>> {
    let terms_span = span(&pair);
    let rule = pair.as_rule();
    let length_pair = pair
        .into_inner()
        .find(|p| matches!(p.as_rule(), Rule::days | Rule::months));
    let length = || -> Result<Decimal> {
        let length_pair = length_pair
            .as_ref()
            .ok_or_else(|| internal(terms_span, "length of terms"))?;
        convert_decimal(length_pair)
    };
    let value = match rule {
        Rule::prepayment => TermsValue::Prepayment,
        Rule::net_days => TermsValue::Net(length()?),
        Rule::net_months => TermsValue::NetMonths(length()?),
        Rule::days_then_end_of_month => TermsValue::DaysThenEndOfMonth(length()?),
        Rule::end_of_month_then_days => TermsValue::EndOfMonthThenDays(length()?),
        Rule::days_end_of_month => TermsValue::EndOfMonthUnstated(length()?),
        _ => return Err(internal(terms_span, "unknown terms")),
    };
    Ok(Spanned::new(value, terms_span))
}

fn convert_escalation(keyword: Span, parts: Pairs<'_, Rule>) -> Result<EscalationSection> {
    let mut skips = Vec::new();
    let mut steps = Vec::new();
    for part in parts {
        match part.as_rule() {
            Rule::skip_rule => skips.push(convert_skip(part)?),
            Rule::step => steps.push(convert_step(part)?),
            _ => return Err(internal(span(&part), "unexpected part of escalation")),
        }
    }
    Ok(EscalationSection {
        keyword,
        skips,
        steps,
    })
}

fn convert_skip(pair: Pair<'_, Rule>) -> Result<SkipRule> {
    let skip_span = span(&pair);
    let condition = pair
        .into_inner()
        .find(|p| p.as_rule() == Rule::expr)
        .ok_or_else(|| internal(skip_span, "condition"))?;
    Ok(SkipRule {
        condition: convert_expr(condition)?,
        span: skip_span,
    })
}

fn convert_step(pair: Pair<'_, Rule>) -> Result<Step> {
    let step_span = span(&pair);
    let mut parts = pair.into_inner();
    let offset = convert_step_offset(next(&mut parts, step_span)?)?;
    let mut condition = None;
    let mut actions = Vec::new();
    for part in parts.filter(|p| !is_keyword(p)) {
        match part.as_rule() {
            Rule::expr => condition = Some(convert_expr(part)?),
            _ => actions.push(convert_action(part)?),
        }
    }
    Ok(Step {
        offset,
        condition,
        actions,
        span: step_span,
    })
}

fn convert_step_offset(pair: Pair<'_, Rule>) -> Result<Spanned<Decimal>> {
    let offset_span = span(&pair);
    let mut parts = pair.into_inner();
    let first = next(&mut parts, offset_span)?;
    if first.as_rule() == Rule::on_due {
        return Ok(Spanned::new(Decimal::ZERO, offset_span));
    }
    let days = convert_days(first)?.node;
    let direction = next(&mut parts, offset_span)?;
    let offset = match direction.as_rule() {
        Rule::before_due => -days,
        _ => days,
    };
    Ok(Spanned::new(offset, offset_span))
}

fn convert_action(pair: Pair<'_, Rule>) -> Result<Spanned<Action>> {
    let action_span = span(&pair);
    let rule = pair.as_rule();
    let template = pair
        .into_inner()
        .find(|p| p.as_rule() == Rule::string)
        .map(|p| convert_string(p).node);
    let action = match (rule, template) {
        (Rule::email_action, Some(template)) => Action::Email(template),
        (Rule::letter_action, Some(template)) => Action::Letter(template),
        (Rule::call_action, _) => Action::Call,
        (Rule::block_orders_action, _) => Action::BlockOrders,
        (Rule::hand_over_action, _) => Action::HandOverToCollections,
        (Rule::charge_interest_action, _) => Action::ChargeLateInterest,
        _ => return Err(internal(action_span, "unknown action")),
    };
    Ok(Spanned::new(action, action_span))
}

fn convert_alert(pair: Pair<'_, Rule>) -> Result<Alert> {
    let alert_span = span(&pair);
    let mut parts = pair.into_inner().filter(|p| !is_keyword(p));
    let severity_pair = parts
        .next()
        .ok_or_else(|| internal(alert_span, "severity"))?;
    let severity = match severity_pair.as_str() {
        "high" => Severity::High,
        "medium" => Severity::Medium,
        _ => Severity::Low,
    };
    let name = convert_string(parts.next().ok_or_else(|| internal(alert_span, "name"))?);
    let condition = convert_expr(
        parts
            .next()
            .ok_or_else(|| internal(alert_span, "condition"))?,
    )?;
    Ok(Alert {
        severity: Spanned::new(severity, span(&severity_pair)),
        name,
        condition,
        span: alert_span,
    })
}

/// Finds the first parenthesis or square bracket nested deeper than
/// [`MAX_NESTING`], skipping strings and comments.
fn check_nesting(text: &str) -> Result<()> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut in_comment = false;
    let mut escaped = false;
    for (offset, c) in text.char_indices() {
        match (in_comment, in_string, c) {
            (true, _, '\n') => in_comment = false,
            (true, _, _) => {}
            (false, true, _) if escaped => escaped = false,
            (false, true, '\\') => escaped = true,
            (false, true, '"' | '\n') => in_string = false,
            (false, true, _) => {}
            (false, false, '#') => in_comment = true,
            (false, false, '"') => in_string = true,
            (false, false, '(' | '[') => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(Box::new(Diagnostic::error("too-complex", Span::new(offset, offset + 1), "brackets are nested too deeply")
                        .with_help(format!("nest at most {MAX_NESTING} levels of brackets; split the condition into simpler parts"))));
                }
            }
            (false, false, ')' | ']') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn convert_penalty_rule(pair: Pair<'_, Rule>) -> Result<PenaltyRule> {
    let rule_span = span(&pair);
    match pair.as_rule() {
        Rule::interest_rule => convert_interest_rule(pair).map(PenaltyRule::Interest),
        Rule::fee_rule => {
            let money = pair
                .into_inner()
                .find(|p| p.as_rule() == Rule::money)
                .ok_or_else(|| internal(rule_span, "fee amount"))?;
            let money_span = span(&money);
            let mut parts = money.into_inner();
            let amount = convert_decimal(&next(&mut parts, money_span)?)?;
            let currency = convert_ident(next(&mut parts, money_span)?);
            Ok(PenaltyRule::Fee {
                amount: Spanned::new(amount, money_span),
                currency,
                span: rule_span,
            })
        }
        Rule::payment_order_rule => Ok(PenaltyRule::CostsFirst(rule_span)),
        Rule::dun_charges_rule => Ok(PenaltyRule::DunUnpaidCharges(rule_span)),
        _ => Err(internal(rule_span, "unknown penalty rule")),
    }
}

fn convert_interest_rule(pair: Pair<'_, Rule>) -> Result<InterestRule> {
    let rule_span = span(&pair);
    let mut rate = None;
    let mut floors = Vec::new();
    let mut day_counts = Vec::new();
    for part in pair.into_inner().filter(|p| !is_keyword(p)) {
        let part_span = span(&part);
        match part.as_rule() {
            Rule::percent => {
                let fixed = convert_percent(&part)?.node;
                rate = Some(Spanned::new(RateSpec::Fixed(fixed), part_span));
            }
            Rule::reference_rate => {
                let points = part.into_inner().find(|p| p.as_rule() == Rule::points);
                let points = match points {
                    Some(points) => convert_decimal(&points)? / Decimal::ONE_HUNDRED,
                    None => Decimal::ZERO,
                };
                rate = Some(Spanned::new(RateSpec::Reference { points }, part_span));
            }
            Rule::rate_floor => {
                let percent = part
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::percent)
                    .ok_or_else(|| internal(part_span, "floor"))?;
                floors.push(convert_percent(&percent)?);
            }
            Rule::day_count => {
                let count = match part.as_str() {
                    "actual/360" => DayCountSpec::Actual360,
                    _ => DayCountSpec::Actual365,
                };
                day_counts.push(Spanned::new(count, part_span));
            }
            _ => return Err(internal(part_span, "unexpected part of an interest rule")),
        }
    }
    let rate = rate.ok_or_else(|| internal(rule_span, "interest rate"))?;
    Ok(InterestRule {
        rate,
        floors,
        day_counts,
        span: rule_span,
    })
}

fn convert_order_rule(pair: Pair<'_, Rule>) -> Result<OrderRule> {
    let rule_span = span(&pair);
    let mut parts = pair.into_inner().filter(|p| !is_keyword(p));
    let reason = convert_string(parts.next().ok_or_else(|| internal(rule_span, "reason"))?);
    let condition = convert_expr(
        parts
            .next()
            .ok_or_else(|| internal(rule_span, "condition"))?,
    )?;
    Ok(OrderRule {
        reason,
        condition,
        span: rule_span,
    })
}

fn convert_expr(pair: Pair<'_, Rule>) -> Result<Expr> {
    let parts = pair
        .clone()
        .into_inner()
        .flatten()
        .filter(|part| is_expression_part(part.as_rule()))
        .count();
    if parts > MAX_EXPRESSION_PARTS {
        return Err(Box::new(Diagnostic::error("too-complex", span(&pair), "this expression is too long")
            .with_help(format!("an expression has at most {MAX_EXPRESSION_PARTS} operators and operands; split it into simpler rules"))));
    }
    PRATT
        .map_primary(convert_operand)
        .map_prefix(|op, operand| {
            let operand = operand?;
            let op_kind = match op.as_rule() {
                Rule::not_op => UnaryOp::Not,
                _ => UnaryOp::Negate,
            };
            Ok(Expr {
                span: span(&op).to(operand.span),
                kind: ExprKind::Unary(op_kind, Box::new(operand)),
            })
        })
        .map_infix(|lhs, op, rhs| {
            let (lhs, rhs) = (lhs?, rhs?);
            Ok(Expr {
                span: lhs.span.to(rhs.span),
                kind: ExprKind::Binary(binary_op(op.as_rule()), Box::new(lhs), Box::new(rhs)),
            })
        })
        .parse(pair.into_inner())
}

/// Operators and operands, the parts [`MAX_EXPRESSION_PARTS`] counts.
fn is_expression_part(rule: Rule) -> bool {
    use Rule::*;
    matches!(
        rule,
        not_op
            | neg_op
            | if_missing_op
            | or_op
            | and_op
            | in_op
            | le_op
            | ge_op
            | ne_op
            | lt_op
            | gt_op
            | eq_op
            | add_op
            | sub_op
            | mul_op
            | div_op
            | of_op
            | call
            | path
            | name
            | list
            | date
            | money
            | percent
            | days
            | months
            | number
            | string
            | boolean
    )
}

fn binary_op(rule: Rule) -> BinaryOp {
    match rule {
        Rule::if_missing_op => BinaryOp::IfMissing,
        Rule::or_op => BinaryOp::Or,
        Rule::and_op => BinaryOp::And,
        Rule::in_op => BinaryOp::In,
        Rule::le_op => BinaryOp::LessOrEqual,
        Rule::ge_op => BinaryOp::GreaterOrEqual,
        Rule::ne_op => BinaryOp::NotEqual,
        Rule::lt_op => BinaryOp::Less,
        Rule::gt_op => BinaryOp::Greater,
        Rule::eq_op => BinaryOp::Equal,
        Rule::add_op => BinaryOp::Add,
        Rule::sub_op => BinaryOp::Subtract,
        Rule::mul_op => BinaryOp::Multiply,
        Rule::div_op => BinaryOp::Divide,
        _ => BinaryOp::Of,
    }
}

fn convert_operand(pair: Pair<'_, Rule>) -> Result<Expr> {
    let operand_span = span(&pair);
    let kind = match pair.as_rule() {
        Rule::expr => return convert_expr(pair),
        Rule::name => ExprKind::Name(pair.as_str().to_string()),
        Rule::path => {
            let mut parts = pair.into_inner();
            let object = convert_ident(next(&mut parts, operand_span)?);
            let attribute = convert_ident(next(&mut parts, operand_span)?);
            ExprKind::Path(object, attribute)
        }
        Rule::call => {
            let mut parts = pair.into_inner();
            let function = convert_ident(next(&mut parts, operand_span)?);
            let arguments = parts.map(convert_argument).collect::<Result<_>>()?;
            ExprKind::Call(function, arguments)
        }
        Rule::list => ExprKind::List(pair.into_inner().map(convert_expr).collect::<Result<_>>()?),
        _ => return convert_literal(pair),
    };
    Ok(Expr {
        kind,
        span: operand_span,
    })
}

/// Converts a call's argument: an expression, or a number of months.
fn convert_argument(pair: Pair<'_, Rule>) -> Result<Expr> {
    match pair.as_rule() {
        Rule::months => convert_literal(pair),
        _ => convert_expr(pair),
    }
}

fn convert_literal(pair: Pair<'_, Rule>) -> Result<Expr> {
    let literal_span = span(&pair);
    let literal = match pair.as_rule() {
        Rule::number => Literal::Number(convert_decimal(&pair)?),
        Rule::money => {
            let mut parts = pair.into_inner();
            let amount = convert_decimal(&next(&mut parts, literal_span)?)?;
            let currency = next(&mut parts, literal_span)?.as_str().to_string();
            Literal::Money(amount, currency)
        }
        Rule::percent => Literal::Percent(convert_percent(&pair)?.node),
        Rule::days => Literal::Days(convert_days(pair)?.node),
        Rule::months => Literal::Months(convert_decimal(&pair)?),
        Rule::date => Literal::Date(convert_date(&pair)?.node),
        Rule::string => Literal::Text(convert_string(pair).node),
        Rule::boolean => Literal::Boolean(pair.as_str() == "true"),
        _ => return Err(internal(literal_span, "unknown operand")),
    };
    Ok(Expr {
        kind: ExprKind::Literal(literal),
        span: literal_span,
    })
}

fn is_keyword(pair: &Pair<'_, Rule>) -> bool {
    format!("{:?}", pair.as_rule()).starts_with("kw_")
}

fn convert_ident(pair: Pair<'_, Rule>) -> Ident {
    Spanned::new(pair.as_str().to_string(), span(&pair))
}

fn convert_string(pair: Pair<'_, Rule>) -> Spanned<String> {
    let string_span = span(&pair);
    let content = pair.into_inner().next().map_or("", |inner| inner.as_str());
    Spanned::new(unescape(content), string_span)
}

fn unescape(content: &str) -> String {
    content.replace("\\\"", "\"").replace("\\\\", "\\")
}

fn convert_integer(pair: &Pair<'_, Rule>) -> Result<Spanned<u64>> {
    let value = pair.as_str().parse::<u64>().map_err(|_| {
        Diagnostic::error(
            "invalid-number",
            span(pair),
            format!("`{}` is too large for a version number", pair.as_str()),
        )
        .with_help(format!("a version is a whole number up to {}", u64::MAX))
    })?;
    Ok(Spanned::new(value, span(pair)))
}

/// Reads the `decimal` inside a number, percent, days, months or money pair,
/// or the pair itself when it is a `decimal`.
fn convert_decimal(pair: &Pair<'_, Rule>) -> Result<Decimal> {
    let digits = if pair.as_rule() == Rule::decimal {
        pair.as_str()
    } else {
        pair.clone()
            .into_inner()
            .find(|p| p.as_rule() == Rule::decimal)
            .map_or(pair.as_str(), |p| p.as_str())
    };
    let exact = Decimal::from_str(digits)
        .ok()
        .filter(|value| value.to_string() == canonical_digits(digits));
    exact.ok_or_else(|| {
        Box::new(
            Diagnostic::error(
                "invalid-number",
                span(pair),
                format!("`{digits}` cannot be held exactly"),
            )
            .with_help(format!(
                "numbers are exact decimals of at most 28 digits after the point and at most {}",
                Decimal::MAX
            )),
        )
    })
}

/// `digits` as a decimal prints it: without leading zeros before the point.
fn canonical_digits(digits: &str) -> String {
    let (whole, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    let whole = match whole.trim_start_matches('0') {
        "" => "0",
        trimmed => trimmed,
    };
    match fraction {
        Some(fraction) => format!("{whole}.{fraction}"),
        None => whole.to_string(),
    }
}

/// Reads a percent as a fraction, rejecting one too precise to divide by
/// 100 without rounding.
fn convert_percent(pair: &Pair<'_, Rule>) -> Result<Spanned<Decimal>> {
    let percent = convert_decimal(pair)?;
    let fraction = percent / Decimal::ONE_HUNDRED;
    if fraction.checked_mul(Decimal::ONE_HUNDRED) != Some(percent) {
        return Err(Box::new(
            Diagnostic::error(
                "invalid-number",
                span(pair),
                format!(
                    "`{}` has too many decimal places to be held exactly",
                    pair.as_str()
                ),
            )
            .with_help("a percent has at most 26 digits after the point"),
        ));
    }
    Ok(Spanned::new(fraction, span(pair)))
}

fn convert_days(pair: Pair<'_, Rule>) -> Result<Spanned<Decimal>> {
    Ok(Spanned::new(convert_decimal(&pair)?, span(&pair)))
}

fn convert_date(pair: &Pair<'_, Rule>) -> Result<Spanned<NaiveDate>> {
    let date = NaiveDate::parse_from_str(pair.as_str(), "%Y-%m-%d").map_err(|_| {
        Diagnostic::error(
            "invalid-date",
            span(pair),
            format!("`{}` is not a calendar date", pair.as_str()),
        )
        .with_help("write dates as YYYY-MM-DD with a real month and day, such as 2027-02-28")
    })?;
    Ok(Spanned::new(date, span(pair)))
}
