// Package remotetest holds what the fakes of the networks (mastodontest,
// blueskytest) share: a queue of injected failures, an answer that never
// comes, and JSON answers.
package remotetest

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"
)

// Failure is an injected failure for the next request to an endpoint.
type Failure struct {
	Endpoint string // the fake's name of the endpoint, as "POST /api/v1/statuses"
	Status   int    // the HTTP status; 0 with Drop
	Body     string // "" uses the network's own body for the status
	// Reset is when a 429's rate limit lifts; zero means five minutes on.
	Reset time.Time
	// Drop closes the connection without an answer.
	Drop bool
	// Created makes a failing write take effect first: the post went out
	// although the client hears a failure.
	Created bool
}

// Failures is a queue of failures; a fake uses it under its own lock.
type Failures struct{ queue []Failure }

// Add queues failures; each answers one request to its endpoint, in order.
func (q *Failures) Add(f ...Failure) { q.queue = append(q.queue, f...) }

// Next takes the next failure queued for endpoint.
func (q *Failures) Next(endpoint string) (Failure, bool) {
	for i, f := range q.queue {
		if f.Endpoint == endpoint {
			q.queue = slices.Delete(q.queue, i, i+1)
			return f, true
		}
	}
	return Failure{}, false
}

// Drop closes the connection without an answer, as a network that broke
// after the request arrived.
func Drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// WriteJSON answers with v as JSON.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b)
}
