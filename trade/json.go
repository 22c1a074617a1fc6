package trade

import (
	"encoding/json"
	"math"
)

// num is a float64 that marshals NaN and infinities (undefined indices) as JSON null.
type num float64

func (n num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(f)
}

// MarshalJSON writes undefined indices (NaN) as null.
func (p PairIndices) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		A            string `json:"a"`
		B            string `json:"b"`
		Year         int    `json:"year"`
		TCAB         num    `json:"tc_ab"`
		TCBA         num    `json:"tc_ba"`
		TC           num    `json:"tc"`
		IntensityAB  num    `json:"intensity_ab"`
		IntensityBA  num    `json:"intensity_ba"`
		Similarity   num    `json:"similarity"`
		ExportsAB    num    `json:"exports_ab"`
		ExportsBA    num    `json:"exports_ba"`
		ComplementAB int    `json:"complement_ab"`
		ComplementBA int    `json:"complement_ba"`
	}{p.A, p.B, p.Year, num(p.TCAB), num(p.TCBA), num(p.TC), num(p.IntensityAB), num(p.IntensityBA), num(p.Similarity),
		num(p.ExportsAB), num(p.ExportsBA), p.ComplementAB, p.ComplementBA})
}

// MarshalJSON writes an undefined TC (NaN) as null.
func (c Complement) MarshalJSON() ([]byte, error) {
	type plain Complement
	return json.Marshal(struct {
		plain
		TC num `json:"tc"`
	}{plain(c), num(c.TC)})
}
