package storage

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/kaiku-app/kaiku/planner"
)

// encodingJSON marks a value as JSON; a later encoding gets a new byte, so
// old values stay readable beside new ones.
const encodingJSON byte = 1

// encode writes the version byte and then v as JSON.
func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte(encodingJSON)
	enc := json.NewEncoder(&buf)
	// Posts are full of & < >; escaping them would only grow the values.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// decode reads a value written by encode into v.
func decode(b []byte, v any) error {
	if len(b) == 0 {
		return fmt.Errorf("decode: empty value")
	}
	if b[0] == encodingItem || b[0] == encodingItemNoReadAt {
		if it, ok := v.(*planner.Item); ok {
			return decodeItem(b[1:], it, b[0] == encodingItem)
		}
		return fmt.Errorf("decode: an item where %T belongs", v)
	}
	if b[0] == encodingPost {
		if p, ok := v.(*planner.Post); ok {
			return decodePost(b[1:], p)
		}
		return fmt.Errorf("decode: a post where %T belongs", v)
	}
	if b[0] != encodingJSON {
		return fmt.Errorf("decode: unknown value encoding %d", b[0])
	}
	if err := json.Unmarshal(b[1:], v); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	return nil
}
