//! CAP 1.2 (OASIS Common Alerting Protocol) messages and an Atom 1.0 feed of them,
//! for broadcasters, sirens and aggregators. Pure: the caller loads the alert and the
//! targeted grids' outlines, this writes the XML (element order as in
//! `tests/data/CAP-v1.2.xsd`, against which the tests validate).
use app::domain::alert::Alert;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::borrow::Cow;
use std::io;
use time::{OffsetDateTime, UtcOffset};

/// The CAP 1.2 namespace.
pub const CAP_NS: &str = "urn:oasis:names:tc:emergency:cap:1.2";
const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
const FEED_TITLE: &str = "同心 预警 / Tongxin alerts";
const FEED_AUTHOR: &str = "同心 Tongxin";
/// China Standard Time: CAP writes local time with its offset and forbids "Z".
const CST: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};
/// 9999-12-30 in Unix ms: later instants would not fit CAP's four-digit year.
const MAX_MS: i64 = 253_402_128_000_000;

/// One targeted grid's outline for the CAP `<area>`: its name and its outer ring as
/// (lat, lng) pairs (WGS-84), first == last.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaShape {
    pub name: String,
    pub ring: Vec<(f64, f64)>,
}

type W = Writer<Vec<u8>>;

/// The alert as a CAP 1.2 message: `msgType` Alert, or Cancel (referring to the
/// original) once withdrawn. One `<info>` in zh-CN and one `<area>` with a polygon
/// per usable shape (at least four points once closed, valid coordinates).
/// `sender_domain` names the sending system (a host name; spaces and commas are
/// replaced); `base_url` is `scheme://host` without a trailing slash.
pub fn alert_xml(a: &Alert, shapes: &[AreaShape], base_url: &str, sender_domain: &str) -> String {
    let base = base_url.trim_end_matches('/');
    let sender = match token(sender_domain) {
        s if s.is_empty() => "localhost".to_owned(),
        s => s,
    };
    let original = format!("tongxin-{sender}-{}", a.id.0);
    let sent = cap_time(a.sent_at);
    let polygons: Vec<String> = shapes.iter().filter_map(|s| polygon(&s.ring)).collect();
    let area_desc = if a.area.trim().is_empty() {
        let names: Vec<&str> = shapes.iter().map(|s| s.name.as_str()).collect();
        match names.join("、") {
            n if n.trim().is_empty() => FEED_AUTHOR.to_owned(),
            n => n,
        }
    } else {
        a.area.clone()
    };
    render(|w| {
        w.create_element("alert")
            .with_attribute(("xmlns", CAP_NS))
            .write_inner_content(|w| {
                if a.cancelled {
                    text(w, "identifier", &format!("{original}-cancel"))?;
                } else {
                    text(w, "identifier", &original)?;
                }
                text(w, "sender", &sender)?;
                // The alert records no time of withdrawal: a Cancel carries the original's.
                text(w, "sent", &sent)?;
                text(w, "status", "Actual")?;
                text(w, "msgType", if a.cancelled { "Cancel" } else { "Alert" })?;
                text(w, "scope", "Public")?;
                if a.cancelled {
                    text(w, "note", "已撤回 / Withdrawn")?;
                    text(w, "references", &format!("{sender},{original},{sent}"))?;
                }
                w.create_element("info").write_inner_content(|w| {
                    text(w, "language", "zh-CN")?;
                    text(w, "category", a.category.cap())?;
                    text(w, "event", &a.title)?;
                    text(w, "urgency", a.urgency.cap())?;
                    text(w, "severity", a.severity.cap())?;
                    text(w, "certainty", a.certainty.cap())?;
                    text(w, "expires", &cap_time(a.expires_at))?;
                    if !a.sender.trim().is_empty() {
                        text(w, "senderName", &a.sender)?;
                    }
                    text(w, "headline", &a.title)?;
                    text(w, "description", &a.body)?;
                    text(w, "web", &format!("{base}/alerts/{}", a.id.0))?;
                    w.create_element("area").write_inner_content(|w| {
                        text(w, "areaDesc", &area_desc)?;
                        for p in &polygons {
                            text(w, "polygon", p)?;
                        }
                        Ok(())
                    })?;
                    Ok(())
                })?;
                Ok(())
            })?;
        Ok(())
    })
}

/// An Atom 1.0 feed of the alerts (newest first as given), each entry linking its
/// CAP message at `{base_url}/cap/alerts/{id}.xml`; `updated_ms` is the feed's
/// `updated` (Unix ms).
pub fn feed_atom(alerts: &[Alert], base_url: &str, updated_ms: i64) -> String {
    let base = base_url.trim_end_matches('/');
    let self_url = format!("{base}/cap/feed.atom");
    render(|w| {
        w.create_element("feed")
            .with_attribute(("xmlns", ATOM_NS))
            .write_inner_content(|w| {
                text(w, "id", &self_url)?;
                text(w, "title", FEED_TITLE)?;
                text(w, "updated", &cap_time(updated_ms))?;
                w.create_element("link")
                    .with_attributes([
                        ("rel", "self"),
                        ("type", "application/atom+xml"),
                        ("href", self_url.as_str()),
                    ])
                    .write_empty()?;
                w.create_element("author")
                    .write_inner_content(|w| text(w, "name", FEED_AUTHOR))?;
                for a in alerts {
                    let page = format!("{base}/alerts/{}", a.id.0);
                    let cap = format!("{base}/cap/alerts/{}.xml", a.id.0);
                    w.create_element("entry").write_inner_content(|w| {
                        text(w, "id", &page)?;
                        text(w, "title", &a.title)?;
                        text(w, "updated", &cap_time(a.sent_at))?;
                        text(w, "summary", &a.body)?;
                        w.create_element("link")
                            .with_attributes([
                                ("rel", "alternate"),
                                ("type", "application/cap+xml"),
                                ("href", cap.as_str()),
                            ])
                            .write_empty()?;
                        w.create_element("link")
                            .with_attributes([
                                ("rel", "alternate"),
                                ("type", "text/html"),
                                ("href", page.as_str()),
                            ])
                            .write_empty()?;
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
        Ok(())
    })
}

/// Runs `body` on an indenting writer after the XML declaration. Writing into a
/// `Vec` cannot fail, nor can the UTF-8 check of text built from `&str`; should
/// either ever happen the result is empty rather than truncated.
fn render(body: impl FnOnce(&mut W) -> io::Result<()>) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let written = w
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .and_then(|()| body(&mut w));
    match written {
        Ok(()) => String::from_utf8(w.into_inner()).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// `<name>value</name>`, escaped, without characters XML 1.0 cannot carry.
fn text(w: &mut W, name: &str, value: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(&xml_chars(value)))?;
    Ok(())
}

/// Drops the control characters XML 1.0 forbids (a pasted U+0008 would otherwise
/// make the whole document unreadable); tab, newline and carriage return stay.
fn xml_chars(s: &str) -> Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
    };
    if s.chars().all(allowed) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|&c| allowed(c)).collect())
    }
}

/// A CAP identifier or sender token: no spaces, commas, `<` or `&`.
fn token(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| {
            if c.is_whitespace() || matches!(c, ',' | '<' | '&') || c.is_control() {
                '-'
            } else {
                c
            }
        })
        .collect()
}

/// Unix ms as CAP's `YYYY-MM-DDThh:mm:ss+08:00` (whole seconds, China time), which is
/// also valid RFC 3339 for Atom.
fn cap_time(ms: i64) -> String {
    let ms = ms.clamp(0, MAX_MS);
    let t = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(CST);
    let off = t.offset();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        if off.is_negative() { '-' } else { '+' },
        off.whole_hours().unsigned_abs(),
        off.minutes_past_hour().unsigned_abs(),
    )
}

/// A CAP polygon, "lat,lng lat,lng …" with first == last (closed here if the ring
/// is not), or `None` when fewer than four points remain or a coordinate is invalid.
fn polygon(ring: &[(f64, f64)]) -> Option<String> {
    let valid = |&(lat, lng): &(f64, f64)| {
        lat.is_finite() && lng.is_finite() && lat.abs() <= 90.0 && lng.abs() <= 180.0
    };
    if !ring.iter().all(valid) {
        return None;
    }
    let mut points = ring.to_vec();
    if let (Some(&first), Some(&last)) = (points.first(), points.last())
        && first != last
    {
        points.push(first);
    }
    if points.len() < 4 {
        return None;
    }
    let pairs: Vec<String> = points
        .iter()
        .map(|(lat, lng)| format!("{lat},{lng}"))
        .collect();
    Some(pairs.join(" "))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use app::domain::alert::{AlertId, CapCategory, Certainty, Severity, Urgency};
    use app::domain::grid::GridId;
    use std::path::PathBuf;
    use std::process::Command;
    use std::sync::atomic::{AtomicU32, Ordering};

    const XSD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/CAP-v1.2.xsd");
    /// 2026-11-28T21:03:00+08:00, plus half a second that CAP drops.
    const SENT: i64 = 1_795_870_980_000 + 500;

    fn sample() -> Alert {
        Alert {
            id: AlertId(42),
            title: "暴雪预警 <红色> & 停课".into(),
            body: "今夜有暴雪，积雪 <20cm> & 大风。\n请减少外出，\"老人\"由网格员上门。".into(),
            category: CapCategory::Met,
            urgency: Urgency::Expected,
            severity: Severity::Severe,
            certainty: Certainty::Likely,
            sent_at: SENT,
            expires_at: SENT + 12 * 3_600_000,
            cancelled: false,
            follow_up_at: SENT + 600_000,
            sender: "王 & 李".into(),
            grids: vec![GridId(7), GridId(8)],
            area: "新华街社区02网格、滨西社区".into(),
        }
    }

    fn shapes() -> Vec<AreaShape> {
        vec![
            AreaShape {
                name: "新华街社区02网格".into(),
                ring: vec![
                    (39.91, 116.38),
                    (39.91, 116.39),
                    (39.92, 116.39),
                    (39.92, 116.38),
                    (39.91, 116.38),
                ],
            },
            // Not closed: closed on output.
            AreaShape {
                name: "滨西社区".into(),
                ring: vec![(39.93, 116.4), (39.93, 116.41), (39.94, 116.405)],
            },
            // Too few points: skipped.
            AreaShape {
                name: "坏网格".into(),
                ring: vec![(39.9, 116.3), (39.9, 116.31), (39.9, 116.3)],
            },
            // Coordinates swapped beyond range: skipped.
            AreaShape {
                name: "错坐标".into(),
                ring: vec![
                    (116.3, 39.9),
                    (116.31, 39.9),
                    (116.31, 39.91),
                    (116.3, 39.9),
                ],
            },
        ]
    }

    fn temp_file(xml: &str) -> PathBuf {
        static N: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "tongxin-cap-unit-{}-{}.xml",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::write(&path, xml).unwrap();
        path
    }

    /// Runs xmllint (libxml2-utils, installed by `.ci/setup.sh`); fails when it is
    /// missing or the document is rejected.
    fn xmllint(xml: &str, schema: Option<&str>) {
        let path = temp_file(xml);
        let mut cmd = Command::new("xmllint");
        cmd.arg("--noout");
        if let Some(xsd) = schema {
            cmd.arg("--schema").arg(xsd);
        }
        let out = cmd.arg(&path).output().unwrap_or_else(|e| {
            panic!("xmllint not runnable ({e}); apt-get install libxml2-utils")
        });
        let _ = std::fs::remove_file(&path);
        assert!(
            out.status.success(),
            "xmllint rejected it:\n{}\n{xml}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    #[test]
    fn times_are_china_time_with_offset() {
        assert_eq!(cap_time(SENT), "2026-11-28T21:03:00+08:00");
        assert_eq!(cap_time(0), "1970-01-01T08:00:00+08:00");
        assert_eq!(cap_time(-5), "1970-01-01T08:00:00+08:00");
        assert!(cap_time(i64::MAX).starts_with("9999-12-30T"));
    }

    #[test]
    fn polygons_are_closed_lat_lng_rings() {
        let s = shapes();
        assert_eq!(
            polygon(&s[0].ring).unwrap(),
            "39.91,116.38 39.91,116.39 39.92,116.39 39.92,116.38 39.91,116.38"
        );
        assert_eq!(
            polygon(&s[1].ring).unwrap(),
            "39.93,116.4 39.93,116.41 39.94,116.405 39.93,116.4"
        );
        assert_eq!(polygon(&s[2].ring), None);
        assert_eq!(polygon(&s[3].ring), None);
        assert_eq!(polygon(&[]), None);
        assert_eq!(polygon(&[(f64::NAN, 1.0); 4]), None);
    }

    #[test]
    fn alert_is_valid_cap_1_2() {
        let xml = alert_xml(
            &sample(),
            &shapes(),
            "https://tongxin.example/",
            "tongxin.example",
        );
        xmllint(&xml, Some(XSD));
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        assert!(xml.contains(r#"<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">"#));
        assert!(xml.contains("<identifier>tongxin-tongxin.example-42</identifier>"));
        assert!(xml.contains("<sender>tongxin.example</sender>"));
        assert!(xml.contains("<sent>2026-11-28T21:03:00+08:00</sent>"));
        assert!(xml.contains("<expires>2026-11-29T09:03:00+08:00</expires>"));
        assert!(xml.contains("<msgType>Alert</msgType>"));
        assert!(!xml.contains("<references>"));
        assert!(xml.contains("<category>Met</category>"));
        assert!(xml.contains("<urgency>Expected</urgency>"));
        assert!(xml.contains("<severity>Severe</severity>"));
        assert!(xml.contains("<certainty>Likely</certainty>"));
        assert!(xml.contains("<event>暴雪预警 &lt;红色&gt; &amp; 停课</event>"));
        assert!(xml.contains("<headline>暴雪预警 &lt;红色&gt; &amp; 停课</headline>"));
        assert!(xml.contains("积雪 &lt;20cm&gt; &amp; 大风"));
        assert!(xml.contains("<senderName>王 &amp; 李</senderName>"));
        assert!(!xml.contains("<红色>") && !xml.contains("<20cm>"));
        assert!(xml.contains("<web>https://tongxin.example/alerts/42</web>"));
        assert!(xml.contains("<areaDesc>新华街社区02网格、滨西社区</areaDesc>"));
        assert_eq!(xml.matches("<polygon>").count(), 2);
    }

    #[test]
    fn cancel_is_valid_and_refers_to_the_original() {
        let a = Alert {
            cancelled: true,
            ..sample()
        };
        let xml = alert_xml(&a, &shapes(), "https://tongxin.example", "tongxin.example");
        xmllint(&xml, Some(XSD));
        assert!(xml.contains("<identifier>tongxin-tongxin.example-42-cancel</identifier>"));
        assert!(xml.contains("<msgType>Cancel</msgType>"));
        assert!(xml.contains(
            "<references>tongxin.example,tongxin-tongxin.example-42,2026-11-28T21:03:00+08:00</references>"
        ));
    }

    #[test]
    fn odd_input_still_validates() {
        let a = Alert {
            body: "带控制字符\u{8}的正文\r\n第二行".into(),
            sender: String::new(),
            area: String::new(),
            ..sample()
        };
        let xml = alert_xml(&a, &[], "http://localhost:3000", "my host, inc");
        xmllint(&xml, Some(XSD));
        assert!(xml.contains("<sender>my-host--inc</sender>"));
        assert!(xml.contains("<areaDesc>同心 Tongxin</areaDesc>"));
        assert!(!xml.contains("<polygon>") && !xml.contains("<senderName>"));
        assert!(!xml.contains('\u{8}'));
        let named = alert_xml(&a, &shapes()[..2], "http://localhost:3000", "");
        xmllint(&named, Some(XSD));
        assert!(named.contains("<areaDesc>新华街社区02网格、滨西社区</areaDesc>"));
        assert!(named.contains("<sender>localhost</sender>"));
    }

    #[test]
    fn feed_is_well_formed_and_links_each_alert() {
        let alerts = [
            sample(),
            Alert {
                id: AlertId(43),
                title: "寒潮 & 大风".into(),
                cancelled: true,
                ..sample()
            },
        ];
        let xml = feed_atom(&alerts, "https://tongxin.example", SENT);
        xmllint(&xml, None);
        assert!(xml.contains(r#"<feed xmlns="http://www.w3.org/2005/Atom">"#));
        assert!(xml.contains("<id>https://tongxin.example/cap/feed.atom</id>"));
        assert!(xml.contains("<title>同心 预警 / Tongxin alerts</title>"));
        assert!(xml.contains("<updated>2026-11-28T21:03:00+08:00</updated>"));
        assert!(xml.contains(
            r#"<link rel="self" type="application/atom+xml" href="https://tongxin.example/cap/feed.atom"/>"#
        ));
        for id in [42, 43] {
            assert!(xml.contains(&format!(
                r#"<link rel="alternate" type="application/cap+xml" href="https://tongxin.example/cap/alerts/{id}.xml"/>"#
            )));
        }
        assert_eq!(xml.matches("<entry>").count(), 2);
        assert!(xml.contains("<title>寒潮 &amp; 大风</title>"));
        let empty = feed_atom(&[], "https://tongxin.example", 0);
        xmllint(&empty, None);
        assert!(!empty.contains("<entry>"));
    }
}
