package http

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"
)

// validate checks v (decoded JSON) against a schema of the OpenAPI document,
// for the subset of JSON Schema the document uses: $ref, type, nullable,
// properties, required, items, enum. It returns the first mismatch.
func validate(doc map[string]any, sc map[string]any, v any, at string) error {
	if r, ok := sc["$ref"].(string); ok {
		name := strings.TrimPrefix(r, "#/components/schemas/")
		sub, ok := doc["components"].(map[string]any)["schemas"].(map[string]any)[name].(map[string]any)
		if !ok {
			return fmt.Errorf("%s: dangling $ref %s", at, r)
		}
		return validate(doc, sub, v, at)
	}
	if v == nil {
		if sc["nullable"] == true {
			return nil
		}
		return fmt.Errorf("%s: null where the schema does not allow it", at)
	}
	switch sc["type"] {
	case "object":
		o, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: want an object, got %T", at, v)
		}
		props, _ := sc["properties"].(map[string]any)
		for k, x := range o {
			p, ok := props[k].(map[string]any)
			if !ok {
				return fmt.Errorf("%s: field %q is not in the schema", at, k)
			}
			if err := validate(doc, p, x, at+"."+k); err != nil {
				return err
			}
		}
		req, _ := sc["required"].([]any)
		for _, r := range req {
			if _, ok := o[r.(string)]; !ok {
				return fmt.Errorf("%s: required field %q missing", at, r)
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%s: want an array, got %T", at, v)
		}
		for i, x := range a {
			if err := validate(doc, sc["items"].(map[string]any), x, fmt.Sprintf("%s[%d]", at, i)); err != nil {
				return err
			}
		}
	case "string":
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("%s: want a string, got %T", at, v)
		}
		if enum, ok := sc["enum"].([]any); ok {
			found := false
			for _, e := range enum {
				found = found || e == s
			}
			if !found {
				return fmt.Errorf("%s: %q not in %v", at, s, enum)
			}
		}
	case "integer":
		f, ok := v.(float64)
		if !ok || f != float64(int64(f)) {
			return fmt.Errorf("%s: want an integer, got %v", at, v)
		}
	case "number":
		if _, ok := v.(float64); !ok {
			return fmt.Errorf("%s: want a number, got %T", at, v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("%s: want a boolean, got %T", at, v)
		}
	default:
		return fmt.Errorf("%s: schema without a type: %v", at, sc)
	}
	return nil
}

// The OpenAPI document lists exactly the endpoints the server routes, with
// exactly the parameters each accepts, and every response matches its schema.
func TestOpenAPIAgainstHandlers(t *testing.T) {
	s, ts := newTestServer(t, fixtureStore(t))
	s.Registry = sampleRegistry(t)
	for _, attach := range fixtureStores {
		attach(t, s)
	}
	code, h, b := get(t, ts, "/api/openapi.json")
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
		t.Fatalf("%d %v", code, h)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc["openapi"] != "3.0.3" {
		t.Errorf("openapi version %v", doc["openapi"])
	}
	paths := doc["paths"].(map[string]any)
	routed := map[string]bool{}
	for _, e := range s.endpoints {
		routed[openAPIPath(e.Path)] = true
	}
	if len(paths) != len(routed) || len(paths) < 6 {
		t.Errorf("%d paths documented, %d routed", len(paths), len(routed))
	}
	var names []string
	for p := range paths {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		op := paths[p].(map[string]any)["get"].(map[string]any)
		if op["security"] != nil {
			continue // needs credentials: tested with them in api_agreements_test.go
		}
		// Fill in path parameters and every query parameter with its example or default (or true for booleans).
		target := p
		q := url.Values{}
		for _, x := range op["parameters"].([]any) {
			prm := x.(map[string]any)
			name, in := prm["name"].(string), prm["in"].(string)
			sc := prm["schema"].(map[string]any)
			val := exampleFor(s, p, name)
			if val == "" {
				if d, ok := sc["default"]; ok {
					val = fmt.Sprint(d)
				} else if sc["type"] == "boolean" {
					val = "false"
				}
			}
			if in == "path" {
				target = strings.Replace(target, "{"+name+"}", url.PathEscape(val), 1)
				continue
			}
			if val != "" {
				q.Set(name, val)
			}
		}
		target += "?" + q.Encode()
		code, _, body := get(t, ts, target)
		if code != 200 {
			t.Errorf("%s with every documented parameter: %d %s", target, code, body)
			continue
		}
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			t.Fatal(err)
		}
		resp := op["responses"].(map[string]any)["200"].(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
		if err := validate(doc, resp, v, p); err != nil {
			t.Errorf("%s: response does not match the document: %v", target, err)
		}
		// A parameter the document does not list is rejected.
		if code, _, body := get(t, ts, target+"&undocumented=1"); code != 400 || !strings.Contains(string(body), `"param":"undocumented"`) {
			t.Errorf("%s accepts an undocumented parameter: %d %s", p, code, body)
		}
		// Error responses match the Error schema.
		_, _, body = get(t, ts, strings.Replace(target, "?", "?format=nope&", 1))
		json.Unmarshal(body, &v)
		errSc := op["responses"].(map[string]any)["400"].(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
		if err := validate(doc, errSc, v, p+" 400"); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}

// exampleFor returns the example of a parameter: the endpoint's example query, else the parameter's own.
func exampleFor(s *Server, path, name string) string {
	for _, e := range s.endpoints {
		if openAPIPath(e.Path) != path {
			continue
		}
		if ex, err := url.ParseQuery(e.Example); err == nil && ex.Get(name) != "" {
			return ex.Get(name)
		}
		for _, p := range e.params() {
			if p.Name == name {
				return p.Example
			}
		}
	}
	return ""
}
