package http

import (
	"encoding/json"
	"errors"
	nethttp "net/http"
	"strconv"

	"github.com/concord-project/concord/countries"
)

// Error is what the API answers when a request fails: a message, the query or
// path parameter at fault (if one is), and for states that were not
// recognised the codes of the states the user may have meant.
type Error struct {
	Status      int      `json:"-"`
	Message     string   `json:"message"`
	Param       string   `json:"param,omitempty"`
	Suggestions []string `json:"suggestions,omitempty"`
}

// Error returns the message, prefixed by the parameter.
func (e *Error) Error() string {
	if e.Param != "" {
		return e.Param + ": " + e.Message
	}
	return e.Message
}

// badParam is a 400 error about one parameter.
func badParam(param, msg string) *Error {
	return &Error{Status: nethttp.StatusBadRequest, Param: param, Message: msg}
}

// stateError turns an error of countries.Lookup into a 404 (unknown state) or
// a 400 (ambiguous name) about param, with suggestions.
func stateError(param string, err error) *Error {
	var unk *countries.UnknownError
	var amb *countries.AmbiguousError
	switch {
	case errors.As(err, &unk):
		e := &Error{Status: nethttp.StatusNotFound, Param: param, Message: err.Error()}
		for _, s := range unk.Suggestions {
			e.Suggestions = append(e.Suggestions, s.Code)
		}
		return e
	case errors.As(err, &amb):
		e := badParam(param, err.Error())
		for _, s := range amb.Candidates {
			e.Suggestions = append(e.Suggestions, s.Code)
		}
		return e
	}
	return badParam(param, err.Error())
}

// asError turns any error into an *Error: errors that are not *Error are the server's fault (500).
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Status: nethttp.StatusInternalServerError, Message: "internal error"}
}

// writeError writes e as JSON with its status.
func writeError(w nethttp.ResponseWriter, r *nethttp.Request, err error) {
	e := asError(err)
	if e.Status >= 500 {
		setErrorForLog(r, err)
	}
	writeJSON(w, e.Status, e)
}

// writeJSON writes v as indented-free JSON with status code; a result
// encoded already (a cached response) is written as it is.
func writeJSON(w nethttp.ResponseWriter, status int, v any) {
	var b []byte
	if e, ok := v.(interface{ jsonBody() []byte }); ok {
		b = e.jsonBody()
	} else {
		var err error
		if b, err = json.Marshal(v); err != nil {
			status, b = nethttp.StatusInternalServerError, []byte(`{"message":"internal error: encoding the response"}`)
		}
		b = append(b, '\n')
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}
