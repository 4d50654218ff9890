// Package notify delivers outbound messages to people outside the
// organization — email over SMTP and SMS through an HTTP gateway — from the
// outbox in the database (store.Message).
//
// A message is written to the outbox in the transaction that decides to
// send it, so that nothing acknowledged is lost. A Worker runs in every
// Ombud instance: it claims due messages with a lease (claimed_by until
// claimed_until, taken by a single UPDATE on rows nobody holds or whose
// claim expired), sends them, and marks them sent; on an error it tries
// again later with exponential backoff, up to MaxAttempts, then marks the
// message failed with the error. Several instances share one database
// safely: each message is claimed by one worker at a time, and a worker
// only starts sending while its claim has at least SendTimeout left, so a
// message is not sent twice unless a worker dies after sending and before
// recording it. A message's body (it may carry a case's access code) is
// emptied once it is sent or has failed.
//
// A channel that is not configured is delivered to the log (Log): the
// message is recorded as sent, its body is not logged.
package notify

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/store"
)

// The channels of outbound messages.
const (
	Email = "email"
	SMS   = "sms"
)

// Channels lists the channels.
var Channels = []string{Email, SMS}

// Sender delivers messages of one channel.
type Sender interface {
	// Send delivers m (to m.Recipient). An error wrapped by Permanent is
	// not tried again.
	Send(ctx context.Context, m store.Message) error
	// Name says what delivers ("smtp host:587", "sms gateway", "log").
	Name() string
}

type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// Permanent marks err as one that trying again cannot fix (a recipient the
// server refuses, a request the gateway rejects).
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanent{err}
}

// IsPermanent reports whether err was marked Permanent.
func IsPermanent(err error) bool {
	var p permanent
	return errors.As(err, &p)
}

// MaskRecipient shows a recipient with most of it hidden, for lists and
// logs: 138****5678, c***@example.org.
func MaskRecipient(channel, r string) string {
	if channel == SMS {
		return cases.MaskPhone(r)
	}
	local, domain, ok := strings.Cut(r, "@")
	if !ok {
		return cases.MaskPhone(r)
	}
	rs := []rune(local)
	if len(rs) == 0 {
		return "***@" + domain
	}
	return string(rs[0]) + "***@" + domain
}

// Worker delivers the outbox's due messages.
type Worker struct {
	Store *store.Store
	// Senders deliver by channel; the worker claims only messages of
	// these channels.
	Senders map[string]Sender
	// Holder names this process in claims (host and pid).
	Holder string
	// Interval is how often it looks for due messages (Kick wakes it
	// earlier); Lease how long a claim lasts; SendTimeout bounds one send
	// (a message is sent only while its claim has that long left).
	Interval, Lease, SendTimeout time.Duration
	// Batch is how many messages one claim takes.
	Batch int
	// MaxAttempts is how many times a message is tried before it fails.
	MaxAttempts int
	// Backoff is the wait after a failed attempt (the first is 1).
	Backoff func(attempt int) time.Duration
	Log     *slog.Logger
	Now     func() time.Time

	kick chan struct{}
}

// Defaults of NewWorker.
const (
	DefaultInterval    = 5 * time.Second
	DefaultLease       = 5 * time.Minute
	DefaultSendTimeout = 30 * time.Second
	DefaultBatch       = 10
	DefaultMaxAttempts = 8
)

// NewWorker returns a worker with the defaults: it looks every 5 s, claims
// 10 messages for 5 minutes, gives a send 30 s, and tries a message 8
// times, waiting 30 s, 1, 2, 4, 8, 16 and 32 minutes in between (about an
// hour in all).
func NewWorker(st *store.Store, senders map[string]Sender, holder string, log *slog.Logger) *Worker {
	return &Worker{Store: st, Senders: senders, Holder: holder, Interval: DefaultInterval, Lease: DefaultLease,
		SendTimeout: DefaultSendTimeout, Batch: DefaultBatch, MaxAttempts: DefaultMaxAttempts, Backoff: Backoff,
		Log: log, Now: time.Now, kick: make(chan struct{}, 1)}
}

// Backoff is the default wait after failed attempt n: 30 s doubled for
// each attempt before, at most an hour.
func Backoff(n int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < n && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// Kick makes a running worker look for due messages now (a message was
// just queued in this process). It never blocks.
func (w *Worker) Kick() {
	if w.kick == nil {
		return
	}
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends. Then it claims nothing more, finishes the
// send in progress and hands back the messages it claimed but did not try.
func (w *Worker) Run(ctx context.Context) {
	t := time.NewTicker(w.Interval)
	defer t.Stop()
	for {
		for {
			n, err := w.Pass(ctx)
			if err != nil && ctx.Err() == nil {
				w.Log.Error("outbox: delivery pass failed", "err", err)
			}
			if err != nil || n < w.Batch || ctx.Err() != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-w.kick:
		}
	}
}

func (w *Worker) channels() []string {
	var out []string
	for _, c := range Channels {
		if w.Senders[c] != nil {
			out = append(out, c)
		}
	}
	return out
}

// Pass claims one batch of due messages and delivers it. It returns how
// many messages it claimed.
func (w *Worker) Pass(ctx context.Context) (int, error) {
	now := w.Now()
	msgs, err := w.Store.ClaimMessages(ctx, w.Holder, w.channels(), now, w.Lease, w.MaxAttempts, w.Batch)
	if err != nil {
		return 0, err
	}
	claimedUntil := now.Add(w.Lease)
	// Recording results must not be cut short by the end of ctx.
	bg := context.WithoutCancel(ctx)
	for i, m := range msgs {
		if ctx.Err() != nil || w.Now().Add(w.SendTimeout).After(claimedUntil) {
			// Stopping, or too little of the claim is left to send safely:
			// hand the rest back untried.
			for _, r := range msgs[i:] {
				if err := w.Store.ReleaseMessage(bg, r.ID, w.Holder); err != nil {
					return len(msgs), err
				}
			}
			return len(msgs), nil
		}
		if err := w.deliver(bg, m); err != nil {
			return len(msgs), err
		}
	}
	return len(msgs), nil
}

// deliver sends m and records the outcome; it returns only errors of the
// database.
func (w *Worker) deliver(ctx context.Context, m store.Message) error {
	s := w.Senders[m.Channel]
	sctx, cancel := context.WithTimeout(ctx, w.SendTimeout)
	err := s.Send(sctx, m)
	cancel()
	if err == nil {
		_, err := w.Store.MarkSent(ctx, m.ID, w.Now())
		return err
	}
	text := err.Error()
	if len(text) > 500 {
		text = text[:500]
	}
	if IsPermanent(err) || m.Attempts >= w.MaxAttempts {
		w.Log.Error("outbox: message failed", "id", m.ID, "channel", m.Channel, "attempts", m.Attempts, "err", err)
		return w.Store.FailMessage(ctx, m.ID, w.Holder, text)
	}
	next := w.Now().Add(w.Backoff(m.Attempts))
	w.Log.Warn("outbox: sending failed, will try again", "id", m.ID, "channel", m.Channel, "attempts", m.Attempts,
		"next", next, "err", err)
	return w.Store.RetryMessage(ctx, m.ID, w.Holder, next, text)
}

// Log delivers messages to the log: for channels that are not configured
// (and the demo). The recipient is masked and the body is not logged.
type Log struct{ Log *slog.Logger }

// Send logs m.
func (l Log) Send(_ context.Context, m store.Message) error {
	l.Log.Info("outbox: message delivered to the log (channel not configured)", "id", m.ID, "channel", m.Channel,
		"to", MaskRecipient(m.Channel, m.Recipient), "kind", m.Kind, "subject", m.Subject, "body_chars", len([]rune(m.Body)))
	return nil
}

// Name is "log".
func (Log) Name() string { return "log" }
