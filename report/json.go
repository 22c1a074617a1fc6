package report

import (
	"bytes"
	"encoding/json"
)

// marshalHead writes the keys of m in the given order as the opening of a
// JSON object, ending with a comma, so that another object's fields can follow.
func marshalHead(m map[string]string, keys ...string) ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for _, k := range keys {
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(m[k])
		if err != nil {
			return nil, err
		}
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
		b.WriteByte(',')
	}
	return b.Bytes(), nil
}
