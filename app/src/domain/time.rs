//! Times as people in Luohe read them: China Standard Time (UTC+8, no daylight
//! saving), rendered the same on server and browser so hydration matches.
use crate::i18n::Lang;

const CST_OFFSET_MS: i64 = 8 * 3600 * 1000;

/// 2000-01-01 and 2100-01-01 (UTC): no time the app stores or is asked about lies
/// outside, so sums of times and lengths can never overflow.
pub const EARLIEST_MS: i64 = 946_684_800_000;
pub const LATEST_MS: i64 = 4_102_444_800_000;
/// How far ahead anything can be planned (shifts, meetings, quizzes).
pub const PLAN_AHEAD_MAX_MS: i64 = 2 * 366 * 24 * 3600 * 1000;

/// Whether a time from outside lies in the app's window of years.
pub fn in_bounds(ms: i64) -> bool {
    (EARLIEST_MS..LATEST_MS).contains(&ms)
}

/// Milliseconds since the Unix epoch, in the browser (`Date.now()`) and on the server.
pub fn now_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        #[allow(clippy::cast_possible_truncation)]
        let n = js_sys::Date::now() as i64;
        n
    }
    #[cfg(not(feature = "hydrate"))]
    {
        i64::try_from(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis())
                .unwrap_or_default(),
        )
        .unwrap_or(i64::MAX)
    }
}

/// `n` working days after `ms`, at the same time of day: Saturdays and Sundays in
/// China are skipped (a fix on Friday afternoon is due for its check on Monday
/// afternoon; one on Saturday, on Monday too).
pub fn add_working_days(ms: i64, n: u32) -> i64 {
    const DAY: i64 = 86_400_000;
    let mut t = ms;
    let mut left = n;
    while left > 0 {
        t += DAY;
        // Monday = 0: 1970-01-01 was a Thursday.
        let weekday = ((t + CST_OFFSET_MS).div_euclid(DAY) + 3).rem_euclid(7);
        if weekday < 5 {
            left -= 1;
        }
    }
    t
}

/// `2026-11-28 20:05` in China Standard Time.
pub fn format_cst(ms: i64) -> String {
    let local = ms + CST_OFFSET_MS;
    let days = local.div_euclid(86_400_000);
    let in_day = local.rem_euclid(86_400_000) / 60_000;
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}", in_day / 60, in_day % 60)
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// A span as "2 天 3 小时", "1 小时 5 分", "45 秒" (largest two units, rounded down).
pub fn format_span(ms: i64, lang: Lang) -> String {
    let s = ms.abs() / 1000;
    let (d, h, m, sec) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60);
    let unit = |n: i64, zh: &str, en: &str| match lang {
        Lang::Zh => format!("{n} {zh}"),
        Lang::En => format!("{n} {en}"),
    };
    if d > 0 {
        format!("{} {}", unit(d, "天", "d"), unit(h, "小时", "h"))
    } else if h > 0 {
        format!("{} {}", unit(h, "小时", "h"), unit(m, "分", "min"))
    } else if m > 0 {
        unit(m, "分钟", "min")
    } else {
        unit(sec, "秒", "s")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn working_days_skip_the_weekend_in_china() {
        // 2026-12-04 15:00 CST is a Friday.
        let friday = 1_796_367_600_000;
        assert_eq!(format_cst(friday), "2026-12-04 15:00");
        assert_eq!(format_cst(add_working_days(friday, 1)), "2026-12-07 15:00");
        // Saturday and Sunday: Monday; Thursday: Friday; two from Friday: Tuesday.
        assert_eq!(
            format_cst(add_working_days(friday + 86_400_000, 1)),
            "2026-12-07 15:00"
        );
        assert_eq!(
            format_cst(add_working_days(friday + 2 * 86_400_000, 1)),
            "2026-12-07 15:00"
        );
        assert_eq!(
            format_cst(add_working_days(friday - 86_400_000, 1)),
            "2026-12-04 15:00"
        );
        assert_eq!(format_cst(add_working_days(friday, 2)), "2026-12-08 15:00");
        // Friday 23:30 in China is still Friday 15:30 UTC; Saturday 00:30 is Friday UTC.
        let sat_early = 1_796_401_800_000;
        assert_eq!(format_cst(sat_early), "2026-12-05 00:30");
        assert_eq!(
            format_cst(add_working_days(sat_early, 1)),
            "2026-12-07 00:30"
        );
        assert_eq!(add_working_days(friday, 0), friday);
    }

    #[test]
    fn times_from_outside_stay_in_the_window() {
        assert!(in_bounds(1_764_000_000_000));
        assert!(!in_bounds(EARLIEST_MS - 1));
        assert!(!in_bounds(LATEST_MS));
        assert!(!in_bounds(i64::MAX));
        assert!(!in_bounds(i64::MIN));
    }

    use super::*;

    #[test]
    fn china_standard_time() {
        assert_eq!(format_cst(0), "1970-01-01 08:00");
        // 2026-11-28 12:05 UTC is 20:05 in Luohe.
        assert_eq!(format_cst(1_795_867_500_000), "2026-11-28 20:05");
        // Across a leap day and a year end.
        assert_eq!(format_cst(1_709_164_800_000), "2024-02-29 08:00");
        assert_eq!(format_cst(1_735_660_800_000 - 1), "2024-12-31 23:59");
        assert_eq!(format_cst(1_735_660_800_000), "2025-01-01 00:00");
    }

    #[test]
    fn spans() {
        assert_eq!(format_span(45_000, Lang::Zh), "45 秒");
        assert_eq!(format_span(-125_000, Lang::Zh), "2 分钟");
        assert_eq!(format_span(3_900_000, Lang::En), "1 h 5 min");
        assert_eq!(
            format_span(2 * 86_400_000 + 3 * 3_600_000, Lang::Zh),
            "2 天 3 小时"
        );
    }
}
