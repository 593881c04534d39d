// Package remote holds what every network client of Kaiku needs the same
// way: an error that says what kind of failure it was and whether the
// request may have reached the network, the classification of requests that
// got no answer, the check of an API address, bounded reading of answers,
// the rate-limit reset, Kaiku's User-Agent, and a one-shot loopback server
// for a browser's return from an OAuth consent page.
//
// Nothing here ever holds a token, a password, a client secret or a request
// header: errors carry the network's own words from its answer's message
// fields only, cut short.
package remote
