package gen

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// progress shows how far a generation is: on a terminal a bar updated in
// place a few times a second; anywhere, a final line.
type progress struct {
	w     io.Writer
	live  bool
	total int
	start time.Time

	mu    sync.Mutex
	done  int
	width int // of the last line drawn
	stop  chan struct{}
	wg    sync.WaitGroup
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func newProgress(w io.Writer, total int) *progress {
	p := &progress{w: w, live: w != nil && isTerminal(w), total: total, start: time.Now(), stop: make(chan struct{})}
	if p.live {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			t := time.NewTicker(250 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-t.C:
					p.draw()
				case <-p.stop:
					return
				}
			}
		}()
	}
	return p
}

// set records that done cases are written.
func (p *progress) set(done int) {
	p.mu.Lock()
	p.done = done
	p.mu.Unlock()
}

func (p *progress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	elapsed := time.Since(p.start)
	rate := float64(p.done) / elapsed.Seconds()
	frac := float64(p.done) / float64(max(1, p.total))
	const barWidth = 30
	fill := int(frac * barWidth)
	eta := "--"
	if rate > 0 && p.done > 0 {
		eta = roundDuration(time.Duration(float64(p.total-p.done) / rate * float64(time.Second))).String()
	}
	line := fmt.Sprintf("[%s%s] %5.1f%%  %s/%s cases  %s cases/s  ETA %s",
		strings.Repeat("#", fill), strings.Repeat(".", barWidth-fill), 100*frac,
		thousands(p.done), thousands(p.total), thousands(int(rate)), eta)
	pad := ""
	if n := len(line); n < p.width {
		pad = strings.Repeat(" ", p.width-n)
	}
	p.width = len(line)
	fmt.Fprint(p.w, "\r"+line+pad)
}

// finish stops the bar and writes the final line.
func (p *progress) finish(cases, events int) time.Duration {
	close(p.stop)
	p.wg.Wait()
	elapsed := time.Since(p.start)
	if p.w == nil {
		return elapsed
	}
	if p.live {
		p.draw()
		fmt.Fprintln(p.w)
	}
	fmt.Fprintf(p.w, "generated %s cases (%s events) in %s: %s cases/s\n", thousands(cases), thousands(events),
		roundDuration(elapsed), thousands(int(float64(cases)/elapsed.Seconds())))
	return elapsed
}

func roundDuration(d time.Duration) time.Duration {
	if d < time.Minute {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Second)
}

// thousands writes n with thousands separators: 1,234,567.
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
