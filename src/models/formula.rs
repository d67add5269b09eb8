//! The fixest formula language, as far as this tool uses it:
//!
//! ```text
//! y ~ x1 + x2 + i(rel_year, ref = -1) + i(rel_year, treated, ref = c(-1, -1000)) | fe1 + fe2^fe3
//! y ~ x1 * x2 + x1:x3 + log(w) + sqrt(w) + exp(z) + I(x2^2) + I(x1 / x2) + l(x1, 1) + f(x1, 2)
//! ```
//!
//! `a*b` expands to `a + b + a:b` (all products of the starred parts, as fixest orders them);
//! `l()`/`f()` need the panel's unit and time (`--panel-id`). Numeric terms are `models::expr`.
//!
//! Errors name the position (1-based character column) of the mistake.

use super::expr::Expr;
use crate::error::{Error, Result};

/// One right-hand-side term.
#[derive(Debug, Clone, PartialEq)]
pub enum RhsTerm {
    /// A numeric column.
    Var(String),
    /// `i(var[, by], ref = …)`: one indicator per level of `var` except the reference levels,
    /// multiplied by the numeric column `by` when given. Terms are named `var::level`
    /// (`var::level:by` with `by`), as fixest names them.
    Indicator {
        var: String,
        by: Option<String>,
        refs: Vec<String>,
    },
    /// A computed numeric term (product, function, `I()`, lag or lead).
    Numeric(Expr),
    /// `sunab(cohort, period)`: Sun and Abraham's interaction-weighted event study.
    SunAb { cohort: String, period: String },
}

/// A parsed formula. Each fixed effect is a list of columns interacted with `^`.
#[derive(Debug, Clone, PartialEq)]
pub struct Formula {
    pub text: String,
    pub lhs: String,
    pub rhs: Vec<RhsTerm>,
    pub fixed_effects: Vec<Vec<String>>,
    /// Byte offset of each column name's first mention, for error messages.
    pub positions: Vec<(String, usize)>,
}

impl Formula {
    /// Name of a fixed effect as fixest prints it (`fe1^fe2`).
    pub fn fe_name(parts: &[String]) -> String {
        parts.join("^")
    }

    /// Every column the formula reads, in order of first mention.
    pub fn columns(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (c, _) in &self.positions {
            if !out.contains(c) {
                out.push(c.clone());
            }
        }
        out
    }

    /// Character position (1-based) where a column is first named.
    pub fn position_of(&self, column: &str) -> Option<usize> {
        self.positions
            .iter()
            .find(|(c, _)| c == column)
            .map(|(_, p)| self.text[..*p].chars().count() + 1)
    }
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    positions: Vec<(String, usize)>,
}

fn error_at(text: &str, byte: usize, msg: &str) -> Error {
    let col = text[..byte.min(text.len())].chars().count();
    Error::Model(format!(
        "formula error at position {}: {msg}\n  {text}\n  {}^",
        col + 1,
        " ".repeat(col)
    ))
}

impl<'a> Parser<'a> {
    fn err(&self, msg: &str) -> Error {
        error_at(self.text, self.pos, msg)
    }

    fn skip_ws(&mut self) {
        while let Some(c) = self.peek() {
            if c.is_whitespace() {
                self.pos += c.len_utf8();
            } else {
                break;
            }
        }
    }

    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char, what: &str) -> Result<()> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.err(&format!("expected {what}")))
        }
    }

    fn ident(&mut self, what: &str) -> Result<(String, usize)> {
        self.skip_ws();
        let start = self.pos;
        if self.peek() == Some('`') {
            self.pos += 1;
            let rest = &self.text[self.pos..];
            let Some(end) = rest.find('`') else {
                return Err(self.err("unclosed backtick"));
            };
            let name = rest[..end].to_string();
            self.pos += end + 1;
            if name.is_empty() {
                return Err(error_at(self.text, start, &format!("expected {what}")));
            }
            return Ok((name, start));
        }
        while let Some(c) = self.peek() {
            let ok = if self.pos == start {
                c.is_alphabetic() || c == '_' || c == '.'
            } else {
                c.is_alphanumeric() || c == '_' || c == '.'
            };
            if !ok {
                break;
            }
            self.pos += c.len_utf8();
        }
        if self.pos == start {
            let found = match self.peek() {
                Some(c) => format!("'{c}'"),
                None => "the end".to_string(),
            };
            return Err(self.err(&format!("expected {what}, found {found}")));
        }
        Ok((self.text[start..self.pos].to_string(), start))
    }

    fn column(&mut self, what: &str) -> Result<String> {
        let (name, start) = self.ident(what)?;
        self.positions.push((name.clone(), start));
        Ok(name)
    }

    /// A reference level: a number (possibly negative), a quoted string or a bare word.
    fn value(&mut self) -> Result<String> {
        self.skip_ws();
        let start = self.pos;
        match self.peek() {
            Some(q @ ('"' | '\'')) => {
                self.pos += 1;
                let rest = &self.text[self.pos..];
                let Some(end) = rest.find(q) else {
                    return Err(error_at(self.text, start, "unclosed quote"));
                };
                let v = rest[..end].to_string();
                self.pos += end + 1;
                Ok(v)
            }
            Some(c) if c == '-' || c == '+' || c.is_ascii_digit() || c == '.' => {
                self.pos += 1;
                while let Some(c) = self.peek() {
                    if c.is_ascii_alphanumeric() || c == '.' {
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
                let raw = &self.text[start..self.pos];
                let v: f64 = raw
                    .parse()
                    .map_err(|_| error_at(self.text, start, &format!("'{raw}' is not a number")))?;
                Ok(format_level(v))
            }
            _ => Ok(self.ident("a reference level")?.0),
        }
    }

    fn indicator(&mut self) -> Result<RhsTerm> {
        let var = self.column("a column name inside i()")?;
        let mut by = None;
        let mut refs = Vec::new();
        while self.eat(',') {
            self.skip_ws();
            let save = self.pos;
            let (word, _) = self.ident("a column name or ref = …")?;
            if word == "ref" && self.eat('=') {
                self.skip_ws();
                let save_c = self.pos;
                if let Ok((c, _)) = self.ident("")
                    && c == "c"
                    && self.eat('(')
                {
                    loop {
                        refs.push(self.value()?);
                        if self.eat(')') {
                            break;
                        }
                        self.expect(',', "',' or ')' in c(…)")?;
                    }
                    continue;
                }
                self.pos = save_c;
                refs.push(self.value()?);
            } else if by.is_none() && refs.is_empty() {
                self.pos = save;
                by = Some(self.column("a numeric column")?);
            } else {
                return Err(error_at(self.text, save, "unexpected argument to i()"));
            }
        }
        self.expect(')', "')' to close i(")?;
        Ok(RhsTerm::Indicator { var, by, refs })
    }

    /// One `+`-separated part: products joined by `*`, expanded as fixest expands them.
    fn summand(&mut self) -> Result<Vec<RhsTerm>> {
        let start = self.pos;
        let mut products: Vec<Vec<RhsTerm>> = Vec::new();
        loop {
            let mut atoms = Vec::new();
            loop {
                self.skip_ws();
                let at = self.pos;
                match self.atom()? {
                    Some(a) => atoms.push((a, at)),
                    None if atoms.is_empty() && products.is_empty() => {}
                    None => return Err(error_at(self.text, at, "0 or 1 cannot be multiplied")),
                }
                if !self.eat(':') {
                    break;
                }
            }
            let n_atoms = atoms.len();
            let mut list = Vec::new();
            for (a, at) in atoms {
                if matches!(a, RhsTerm::SunAb { .. }) && n_atoms > 1 {
                    return Err(error_at(self.text, at, "sunab() cannot be interacted"));
                }
                if matches!(a, RhsTerm::Indicator { .. }) && n_atoms > 1 {
                    return Err(error_at(
                        self.text,
                        at,
                        "interact a factor with a numeric column as i(factor, column)",
                    ));
                }
                list.push(a);
            }
            if !list.is_empty() {
                products.push(list);
            }
            if !self.eat('*') {
                break;
            }
        }
        if products.len() > 1
            && products
                .iter()
                .flatten()
                .any(|a| matches!(a, RhsTerm::Indicator { .. } | RhsTerm::SunAb { .. }))
        {
            return Err(error_at(
                self.text,
                start,
                "'*' with i(): write i(factor, column) and the column separately",
            ));
        }
        let k = products.len();
        let mut subsets: Vec<Vec<usize>> = (1u32..(1 << k))
            .map(|m| (0..k).filter(|j| m & (1 << j) != 0).collect())
            .collect();
        subsets.sort_by_key(|s| s.len());
        Ok(subsets
            .into_iter()
            .map(|s| {
                let mut parts: Vec<RhsTerm> = s
                    .iter()
                    .flat_map(|&j| products[j].iter().cloned())
                    .collect();
                if parts.len() == 1 {
                    return parts.remove(0);
                }
                RhsTerm::Numeric(Expr::Product(
                    parts
                        .into_iter()
                        .map(|p| match p {
                            RhsTerm::Var(c) => Expr::Col(c),
                            RhsTerm::Numeric(e) => e,
                            RhsTerm::Indicator { .. } | RhsTerm::SunAb { .. } => {
                                Expr::Num(f64::NAN)
                            }
                        })
                        .collect(),
                ))
            })
            .collect())
    }

    /// A column, `i(…)`, a function of an expression, or 0/1 (None: the intercept).
    fn atom(&mut self) -> Result<Option<RhsTerm>> {
        self.skip_ws();
        if let Some(c) = self.peek()
            && (c == '1' || c == '0')
        {
            // `y ~ 1 | fe` fits only the effects; an explicit intercept is implied anyway.
            self.pos += 1;
            return Ok(None);
        }
        let save = self.pos;
        let (word, _) = self.ident("a variable name")?;
        if self.eat('(') {
            if word == "i" {
                return self.indicator().map(Some);
            }
            if word == "sunab" {
                let cohort = self.column("the cohort column of sunab()")?;
                self.expect(',', "',' between the cohort and the period of sunab()")?;
                let period = self.column("the period column of sunab()")?;
                self.expect(')', "')' to close sunab(")?;
                return Ok(Some(RhsTerm::SunAb { cohort, period }));
            }
            return Ok(Some(RhsTerm::Numeric(self.call(&word, save)?)));
        }
        self.pos = save;
        Ok(Some(RhsTerm::Var(self.column("a variable name")?)))
    }

    /// A function call after its '(': log/exp/sqrt(expr), I(expr), l(expr[, k]), f(expr[, k]).
    fn call(&mut self, word: &str, at: usize) -> Result<Expr> {
        let e = match word {
            "log" | "exp" | "sqrt" => Expr::Func(word.to_string(), Box::new(self.arith()?)),
            "I" => Expr::Identity(Box::new(self.arith()?)),
            "l" | "f" => {
                let inner = self.arith()?;
                let mut k = 1i64;
                if self.eat(',') {
                    self.skip_ws();
                    let s = self.pos;
                    while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                        self.pos += 1;
                    }
                    k = self.text[s..self.pos].parse().map_err(|_| {
                        error_at(
                            self.text,
                            s,
                            &format!("{word}(): expected a whole number of periods"),
                        )
                    })?;
                }
                Expr::Lag(Box::new(inner), if word == "l" { k } else { -k })
            }
            other => {
                return Err(error_at(
                    self.text,
                    at,
                    &format!(
                        "unknown function {other}(); the functions are i(), log(), exp(), \
                         sqrt(), I(), l() and f()"
                    ),
                ));
            }
        };
        self.expect(')', &format!("')' to close {word}("))?;
        Ok(e)
    }

    /// Arithmetic: sums of products of powers of numbers, columns and calls.
    fn arith(&mut self) -> Result<Expr> {
        let mut e = self.arith_term()?;
        loop {
            self.skip_ws();
            match self.peek() {
                Some(op @ ('+' | '-')) => {
                    self.pos += 1;
                    e = Expr::Bin(op, Box::new(e), Box::new(self.arith_term()?));
                }
                _ => return Ok(e),
            }
        }
    }

    fn arith_term(&mut self) -> Result<Expr> {
        let mut e = self.arith_unary()?;
        loop {
            self.skip_ws();
            match self.peek() {
                Some(op @ ('*' | '/')) => {
                    self.pos += 1;
                    e = Expr::Bin(op, Box::new(e), Box::new(self.arith_unary()?));
                }
                _ => return Ok(e),
            }
        }
    }

    fn arith_unary(&mut self) -> Result<Expr> {
        if self.eat('-') {
            return Ok(Expr::Neg(Box::new(self.arith_unary()?)));
        }
        let base = self.arith_primary()?;
        if self.eat('^') {
            return Ok(Expr::Bin(
                '^',
                Box::new(base),
                Box::new(self.arith_unary()?),
            ));
        }
        Ok(base)
    }

    fn arith_primary(&mut self) -> Result<Expr> {
        self.skip_ws();
        let start = self.pos;
        match self.peek() {
            Some('(') => {
                self.pos += 1;
                let e = self.arith()?;
                self.expect(')', "')'")?;
                Ok(e)
            }
            Some(c) if c.is_ascii_digit() || c == '.' => {
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_digit() || c == '.' || c == 'e')
                {
                    self.pos += 1;
                }
                let raw = &self.text[start..self.pos];
                raw.parse::<f64>()
                    .map(Expr::Num)
                    .map_err(|_| error_at(self.text, start, &format!("'{raw}' is not a number")))
            }
            _ => {
                let (word, _) = self.ident("a column, a number or '('")?;
                if self.eat('(') {
                    return self.call(&word, start);
                }
                self.pos = start;
                Ok(Expr::Col(self.column("a column")?))
            }
        }
    }
}

/// Formats a numeric level the way fixest prints it in term names (`-3`, `2.5`).
pub fn format_level(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Parses a formula.
pub fn parse(text: &str) -> Result<Formula> {
    let mut p = Parser {
        text,
        pos: 0,
        positions: Vec::new(),
    };
    let lhs = p.column("the outcome variable before '~'")?;
    p.expect('~', "'~' after the outcome")?;
    let mut rhs = Vec::new();
    loop {
        rhs.extend(p.summand()?);
        if !p.eat('+') {
            break;
        }
    }
    let mut fixed_effects = Vec::new();
    if p.eat('|') {
        loop {
            let mut parts = vec![p.column("a fixed-effect column")?];
            while p.eat('^') {
                parts.push(p.column("a column after '^'")?);
            }
            fixed_effects.push(parts);
            if !p.eat('+') {
                break;
            }
        }
    }
    p.skip_ws();
    if p.pos < text.len() {
        let c = p.peek().unwrap_or(' ');
        let hint = match c {
            '|' => " (only one '|' is allowed: variables | fixed effects)",
            '-' => " (removing terms is not supported; leave the term out instead)",
            _ => "",
        };
        return Err(p.err(&format!("unexpected '{c}'{hint}")));
    }
    Ok(Formula {
        text: text.to_string(),
        lhs,
        rhs,
        fixed_effects,
        positions: p.positions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(e: Error) -> String {
        e.to_string()
    }

    #[test]
    fn parses_the_full_grammar() {
        let f = parse(
            "log_output ~ log_spend + i(rel_year, ref = -1) | province_code + sector_code^year",
        )
        .unwrap();
        assert_eq!(f.lhs, "log_output");
        assert_eq!(
            f.rhs,
            vec![
                RhsTerm::Var("log_spend".into()),
                RhsTerm::Indicator {
                    var: "rel_year".into(),
                    by: None,
                    refs: vec!["-1".into()]
                }
            ]
        );
        assert_eq!(
            f.fixed_effects,
            vec![
                vec!["province_code".to_string()],
                vec!["sector_code".to_string(), "year".to_string()]
            ]
        );
        assert_eq!(
            f.columns(),
            vec![
                "log_output",
                "log_spend",
                "rel_year",
                "province_code",
                "sector_code",
                "year"
            ]
        );
    }

    #[test]
    fn indicator_with_interaction_and_several_refs() {
        let f = parse("y ~ i(t, treat, ref = c(-1, -1000))").unwrap();
        assert_eq!(
            f.rhs,
            vec![RhsTerm::Indicator {
                var: "t".into(),
                by: Some("treat".into()),
                refs: vec!["-1".into(), "-1000".into()]
            }]
        );
        let g = parse("y ~ i(group, ref = \"b\")").unwrap();
        assert!(matches!(&g.rhs[0], RhsTerm::Indicator { refs, .. } if refs == &["b"]));
    }

    #[test]
    fn errors_point_at_the_mistake() {
        let e = msg(parse("y ~ x1 + | fe").unwrap_err());
        assert!(e.starts_with("formula error at position 10:"), "{e}");
        assert!(e.contains("expected a variable name, found '|'"), "{e}");
        let e = msg(parse("y x1").unwrap_err());
        assert!(e.contains("position 3") && e.contains("'~'"), "{e}");
        let e = msg(parse("y ~ x | a | b").unwrap_err());
        assert!(
            e.contains("position 11") && e.contains("only one '|'"),
            "{e}"
        );
        let e = msg(parse("y ~ i(t, ref = -1").unwrap_err());
        assert!(e.contains("')' to close i("), "{e}");
        let e = msg(parse("y ~ foo(x)").unwrap_err());
        assert!(
            e.contains("position 5") && e.contains("unknown function foo()"),
            "{e}"
        );
        let e = msg(parse("y ~ i(g):x").unwrap_err());
        assert!(e.contains("i(factor, column)"), "{e}");
        let e = msg(parse("y ~ x | a^").unwrap_err());
        assert!(
            e.contains("position 11") && e.contains("found the end"),
            "{e}"
        );
    }

    #[test]
    fn products_functions_and_lags_parse_under_fixest_names() {
        let f = parse("y ~ x1*x2 + log(w) + I(x2^2) + I(x1 / (x2 + 1)) + l(x1, 2) + f(x1) | g")
            .unwrap();
        let names: Vec<String> = f
            .rhs
            .iter()
            .map(|t| match t {
                RhsTerm::Var(v) => v.clone(),
                RhsTerm::Numeric(e) => e.name(),
                RhsTerm::Indicator { var, .. } => var.clone(),
                RhsTerm::SunAb { cohort, .. } => cohort.clone(),
            })
            .collect();
        assert_eq!(
            names,
            vec![
                "x1",
                "x2",
                "x1:x2",
                "log(w)",
                "I(x2^2)",
                "I(x1 / (x2 + 1))",
                "l(x1, 2)",
                "f(x1, 1)"
            ]
        );
        // Three starred parts: the three, then the pairs, then the triple.
        let g = parse("y ~ a*b*c").unwrap();
        let names: Vec<String> = g
            .rhs
            .iter()
            .map(|t| match t {
                RhsTerm::Var(v) => v.clone(),
                RhsTerm::Numeric(e) => e.name(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(names, vec!["a", "b", "c", "a:b", "a:c", "b:c", "a:b:c"]);
        assert_eq!(g.columns(), vec!["y", "a", "b", "c"]);
        assert!(parse("y ~ l(x, k)").is_err());
        assert!(parse("y ~ i(g) * x").is_err());
    }

    #[test]
    fn positions_are_character_columns() {
        let f = parse("sản_lượng ~ chi + x").unwrap();
        assert_eq!(f.position_of("x"), Some(19));
        assert_eq!(f.position_of("chi"), Some(13));
    }
}
