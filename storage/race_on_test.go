//go:build race

package storage

// raceDetector is true when the tests run under the race detector, which
// makes every write several times slower.
const raceDetector = true
