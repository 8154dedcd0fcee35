//! Medians and percentiles: on a noisy shared machine a single timing means little, the
//! median of several does.

use std::time::Duration;

/// The median of the values (the mean of the middle two for an even count); 0 when empty.
pub(crate) fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => f64::midpoint(sorted[n / 2 - 1], sorted[n / 2]),
    }
}

/// The `p`-th percentile (0–100) by the nearest-rank method; 0 when empty.
pub(crate) fn percentile(values: &[f64], p: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub(crate) fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1_000.0
}

/// Runs `subject` and `baseline` alternately, `rounds` times each, and returns their timings in
/// seconds: alternating spreads the machine's noise over both.
pub(crate) fn interleaved<E>(
    rounds: usize,
    mut subject: impl FnMut() -> Result<Duration, E>,
    mut baseline: impl FnMut() -> Result<Duration, E>,
) -> Result<(Vec<f64>, Vec<f64>), E> {
    let (mut subjects, mut baselines) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        // Swap who goes first every round, so neither always runs on a warmer machine.
        if round % 2 == 0 {
            subjects.push(subject()?.as_secs_f64());
            baselines.push(baseline()?.as_secs_f64());
        } else {
            baselines.push(baseline()?.as_secs_f64());
            subjects.push(subject()?.as_secs_f64());
        }
    }
    Ok((subjects, baselines))
}

/// Runs each of `subjects` once a round, `rounds` times, starting each round with the next
/// one, and returns each one's timings in seconds.
pub(crate) fn rotated<E>(
    rounds: usize,
    subjects: &mut [&mut dyn FnMut() -> Result<Duration, E>],
) -> Result<Vec<Vec<f64>>, E> {
    let mut times = vec![Vec::with_capacity(rounds); subjects.len()];
    for round in 0..rounds {
        for turn in 0..subjects.len() {
            let which = (round + turn) % subjects.len();
            times[which].push(subjects[which]()?.as_secs_f64());
        }
    }
    Ok(times)
}

/// The median of `numerators[i] / denominators[i]`.
pub(crate) fn median_ratio(numerators: &[f64], denominators: &[f64]) -> f64 {
    let ratios: Vec<f64> = numerators
        .iter()
        .zip(denominators)
        .filter(|(_, d)| **d != 0.0)
        .map(|(n, d)| n / d)
        .collect();
    median(&ratios)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_percentiles() {
        assert!((median(&[3.0, 1.0, 2.0]) - 2.0).abs() < f64::EPSILON);
        assert!((median(&[4.0, 1.0, 2.0, 3.0]) - 2.5).abs() < f64::EPSILON);
        let hundred: Vec<f64> = (1..=100).map(f64::from).collect();
        assert!((percentile(&hundred, 99.0) - 99.0).abs() < f64::EPSILON);
        assert!((percentile(&hundred, 50.0) - 50.0).abs() < f64::EPSILON);
        assert!((percentile(&[7.0], 99.0) - 7.0).abs() < f64::EPSILON);
    }

    #[test]
    fn rotation_starts_each_round_with_the_next_subject() {
        let order = std::cell::RefCell::new(Vec::new());
        let mut first = || -> Result<Duration, ()> {
            order.borrow_mut().push('a');
            Ok(Duration::from_secs(1))
        };
        let mut second = || -> Result<Duration, ()> {
            order.borrow_mut().push('b');
            Ok(Duration::from_secs(2))
        };
        let times = rotated(2, &mut [&mut first, &mut second]).unwrap();
        assert_eq!(order.into_inner(), ['a', 'b', 'b', 'a']);
        assert_eq!(times, [vec![1.0, 1.0], vec![2.0, 2.0]]);
        assert!((median_ratio(&[1.0, 4.0, 9.0], &[1.0, 2.0, 0.0]) - 1.5).abs() < f64::EPSILON);
    }
}
