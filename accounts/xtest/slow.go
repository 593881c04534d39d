package xtest

import (
	"net/http"
	"sync"
)

// SlowTransport holds every request to one path until Release, as a slow
// network does, over http.DefaultTransport.
type SlowTransport struct {
	path     string
	held     chan struct{}
	release  chan struct{}
	arrived  sync.Once
	released sync.Once
}

// Slow makes a transport that holds the requests to path, such as "/oauth/access_token".
func Slow(path string) *SlowTransport {
	return &SlowTransport{path: path, held: make(chan struct{}), release: make(chan struct{})}
}

// RoundTrip sends r, after Release when r goes to the held path.
func (s *SlowTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path == s.path {
		s.arrived.Do(func() { close(s.held) })
		<-s.release
	}
	return http.DefaultTransport.RoundTrip(r)
}

// Held is closed once the first request to the path is being held.
func (s *SlowTransport) Held() <-chan struct{} { return s.held }

// Release lets the held requests, and all later ones, go.
func (s *SlowTransport) Release() { s.released.Do(func() { close(s.release) }) }
