package gen

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/ombud/ombud/internal/calendar"
	"github.com/ombud/ombud/internal/cases"
)

// When cases are registered: days over the period, busier on working days
// and more so lately, and hours of the day, busiest in office hours.

// hourWeights is how many registrations each hour of the day (Shanghai)
// sees, relative to the others.
var hourWeights = [24]float64{0.1, 0.05, 0.05, 0.05, 0.05, 0.1, 0.2, 0.6, 1.6, 2.2, 2.3, 2.1,
	1.2, 1.6, 2.0, 2.0, 1.9, 1.2, 0.7, 0.6, 0.5, 0.4, 0.25, 0.15}

// day is one calendar day (Shanghai) of the period and how many cases are
// registered in it.
type day struct {
	lo, hi time.Time // the part of the day inside the period
	n      int
}

// planDays spreads n registrations over [start, end): each day gets its
// share by weight (working days, a rising trend, some noise).
func planDays(start, end time.Time, n int, r *rand.Rand) []day {
	var days []day
	var weights []float64
	l := start.In(calendar.Shanghai)
	midnight := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, calendar.Shanghai)
	for d := midnight; d.Before(end); d = d.AddDate(0, 0, 1) {
		lo, hi := d, d.AddDate(0, 0, 1)
		if lo.Before(start) {
			lo = start
		}
		if hi.After(end) {
			hi = end
		}
		if !lo.Before(hi) {
			continue
		}
		days = append(days, day{lo: lo, hi: hi})
	}
	total := 0.0
	for i, d := range days {
		w := hoursWeight(d.lo, d.hi)
		if !calendar.Default.IsWorkingDay(d.lo) {
			w *= 0.5
		}
		w *= 0.75 + 0.5*float64(i)/float64(max(1, len(days)-1)) // more cases lately
		w *= 0.85 + 0.3*r.Float64()
		weights = append(weights, w)
		total += w
	}
	// Systematic rounding: day i gets the whole numbers that fall into its
	// share of [0, n), shifted by one random offset. The shares add up to
	// n, and a day gets a case with a chance of its weight even when
	// there are fewer cases than days.
	u, cum, given := r.Float64(), 0.0, 0
	for i := range days {
		cum += weights[i]
		upto := min(n, int(float64(n)*cum/total+u))
		days[i].n = upto - given
		given = upto
	}
	days[len(days)-1].n += n - given
	return days
}

// hoursWeight is the weight of the hours in [lo, hi), all within one day.
func hoursWeight(lo, hi time.Time) float64 {
	w := 0.0
	for t := lo; t.Before(hi); {
		l := t.In(calendar.Shanghai)
		next := time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), 0, 0, 0, calendar.Shanghai).Add(time.Hour)
		if next.After(hi) {
			next = hi
		}
		w += hourWeights[l.Hour()] * next.Sub(t).Hours()
		t = next
	}
	return w
}

// times returns d.n registration times in d, in order.
func (d day) times(r *rand.Rand) []time.Time {
	// Weighted pieces of the day: each hour, cut to [lo, hi).
	type piece struct {
		lo time.Time
		d  time.Duration
		w  float64
	}
	var ps []piece
	total := 0.0
	for t := d.lo; t.Before(d.hi); {
		l := t.In(calendar.Shanghai)
		next := time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), 0, 0, 0, calendar.Shanghai).Add(time.Hour)
		if next.After(d.hi) {
			next = d.hi
		}
		w := hourWeights[l.Hour()] * next.Sub(t).Hours()
		ps = append(ps, piece{t, next.Sub(t), w})
		total += w
		t = next
	}
	out := make([]time.Time, d.n)
	for i := range out {
		x := r.Float64() * total
		k := 0
		for k < len(ps)-1 && x >= ps[k].w {
			x -= ps[k].w
			k++
		}
		out[i] = ps[k].lo.Add(time.Duration(r.Int64N(int64(ps[k].d)))).Truncate(cases.Precision)
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

// Between returns a random duration in [lo, hi) (lo when hi <= lo).
func Between(r *rand.Rand, lo, hi time.Duration) time.Duration {
	if hi <= lo {
		return lo
	}
	return lo + time.Duration(r.Int64N(int64(hi-lo)))
}

// OfficeHours moves t to the next moment the office is open: working days
// 8:00–17:30 (Shanghai).
func OfficeHours(r *rand.Rand, t time.Time) time.Time {
	l := t.In(calendar.Shanghai)
	for {
		open := time.Date(l.Year(), l.Month(), l.Day(), 8, 0, 0, 0, calendar.Shanghai)
		shut := time.Date(l.Year(), l.Month(), l.Day(), 17, 30, 0, 0, calendar.Shanghai)
		if calendar.Default.IsWorkingDay(l) {
			if l.Before(open) {
				return open.Add(Between(r, 0, 50*time.Minute))
			}
			if l.Before(shut) {
				return t
			}
		}
		l = open.AddDate(0, 0, 1).Add(-8 * time.Hour) // next day, 0:00
	}
}
