package http

import (
	"encoding/json"
	nethttp "net/http"
	"strconv"
	"strings"
)

// schema is a JSON Schema object of the OpenAPI document.
type schema = map[string]any

func ref(name string) schema { return schema{"$ref": "#/components/schemas/" + name} }
func str(desc string) schema { return schema{"type": "string", "description": desc} }
func integer(desc string) schema {
	return schema{"type": "integer", "description": desc}
}
func boolean(desc string) schema { return schema{"type": "boolean", "description": desc} }
func nullableNumber(desc string) schema {
	return schema{"type": "number", "nullable": true, "description": desc}
}
func nullableBool(desc string) schema {
	return schema{"type": "boolean", "nullable": true, "description": desc}
}
func array(items schema) schema { return schema{"type": "array", "items": items} }
func object(props schema, required ...string) schema {
	o := schema{"type": "object", "properties": props}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

// rowProps are the fields of align.Row's JSON.
func rowProps() schema {
	return schema{
		"votes":       integer("roll calls on which both voted yes, no or abstain"),
		"agree":       nullableNumber("(identical + ½ × one abstained) / votes"),
		"s_score":     nullableNumber("Signorino–Ritter S: 1 − mean|a−b| on yes=1, abstain=2, no=3"),
		"kappa":       nullableNumber("Cohen's kappa with linear weights (Häge 2011)"),
		"coincidence": nullableNumber("identical / (identical + opposite) over yes/no votes"),
	}
}

var rowRequired = []string{"votes", "agree", "s_score", "kappa", "coincidence"}

func with(p schema, extra schema) schema {
	out := schema{}
	for k, v := range p {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

func windowProps() schema {
	return schema{"from": integer("first year, if given"), "to": integer("last year, if given"), "issue": str("issue code, if given")}
}

// schemas are the components/schemas of the OpenAPI document: every result and the error.
func schemas() schema {
	return with(with(with(with(registrySchemas(), eventSchemas()), tradeSchemas()), briefSchemas()), schema{
		"Error": object(schema{
			"message":     str("what is wrong and what to do"),
			"param":       str("the query or path parameter, body field or header at fault"),
			"suggestions": array(str("a state code")),
		}, "message"),
		"Row":     object(with(rowProps(), schema{"period": str("all, a year such as 1999, or a session such as 54")}), append([]string{"period"}, rowRequired...)...),
		"Partner": object(with(rowProps(), schema{"state": str("the partner's state code"), "period": str("all")}), append([]string{"state"}, rowRequired...)...),
		"Align":   object(with(windowProps(), schema{"a": str("state code"), "b": str("state code"), "rows": array(ref("Row"))}), "a", "b", "rows"),
		"Partners": object(with(windowProps(), schema{"a": str("state code"), "metric": schema{"type": "string", "enum": []string{"agree", "s_score", "kappa", "coincidence"}},
			"rows": array(ref("Partner"))}), "a", "metric", "rows"),
		"IssueRow": object(with(rowProps(), schema{"issue": str("issue code"), "name": str("issue name"), "period": str("all")}), append([]string{"issue", "name"}, rowRequired...)...),
		"AlignIssues": object(schema{"a": str("state code"), "b": str("state code"), "from": integer("first year"), "to": integer("last year"),
			"rows": array(ref("IssueRow"))}, "a", "b", "rows"),
		"Split": object(schema{
			"rcid": integer("roll-call id"), "session": integer("UN session"), "date": str("yyyy-mm-dd"), "resolution": str("resolution code"),
			"title": str("short description, else the long one"), "issues": array(str("issue code")), "important": nullableBool("classed important by the US State Department"),
			"vote_a": str("a's vote: yes, no or abstain"), "vote_b": str("b's vote"), "opposite": boolean("one voted yes and the other no"),
		}, "rcid", "title", "issues", "vote_a", "vote_b", "opposite"),
		"Splits": object(with(windowProps(), schema{"a": str("state code"), "b": str("state code"), "total": integer("splits in the window"),
			"rows": array(ref("Split"))}), "a", "b", "total", "rows"),
		"RollCall": object(schema{
			"rcid": integer("roll-call id"), "session": integer("UN session"), "date": str("yyyy-mm-dd"), "resolution": str("resolution code"),
			"important": nullableBool("classed important"), "amend": nullableBool("vote on an amendment"), "para": nullableBool("vote on a paragraph"),
			"short": str("short description"), "descr": str("long description"), "issues": array(str("issue code")),
		}, "rcid", "session", "important", "amend", "para", "issues"),
		"RollCalls": array(ref("RollCall")),
		"State": object(schema{
			"code": str("ISO alpha-3, else COW abbreviation"), "name": str("English short name"), "iso2": str("ISO alpha-2"), "iso3": str("ISO alpha-3"),
			"iso_numeric": integer("ISO numeric"), "cow": integer("COW code"), "cow_abbr": str("COW abbreviation"), "variants": array(str("another name")),
			"from": integer("first year in the state system"), "to": integer("last year"), "un_from": integer("year of UN admission"), "un_to": integer("year it left the UN"),
			"historical": boolean("no longer exists"), "successors": array(str("state code")), "note": str("what a user should know"),
		}, "code", "name", "historical"),
		"States": array(ref("State")),
		"Ideal": array(object(schema{
			"country": str("state code"), "cow": schema{"type": "integer", "nullable": true, "description": "COW code"},
			"session": schema{"type": "integer", "nullable": true, "description": "UN session (by=session; null in a static fit)"},
			"year":    schema{"type": "integer", "nullable": true, "description": "year (by=year; null in a static fit)"},
			"ideal":   schema{"type": "number", "description": "position, standardised (mean 0, sd 1); higher is closer to the United States"},
			"se":      nullableNumber("bootstrap standard error; null without bootstrap"),
			"lo":      nullableNumber("lower end of the bootstrap 90% interval (ideal − t·se); null without bootstrap"),
			"hi":      nullableNumber("upper end of the bootstrap 90% interval (ideal + t·se); null without bootstrap"),
			"votes":   integer("votes cast in the period on the roll calls used"),
		}, "country", "ideal", "se", "lo", "hi", "votes")),
		"Blocs": object(schema{
			"metric": str("edge weights"), "signed": boolean("signed graph"), "resolution": schema{"type": "number", "description": "modularity resolution γ"},
			"issue": str("issue code, if given"),
			"windows": array(object(schema{
				"from": integer("first year"), "to": integer("last year"), "roll_calls": integer("roll calls in the window"),
				"states": integer("states in the graph"), "modularity": nullableNumber("modularity of the partition"),
				"stability": nullableNumber("adjusted Rand index with the previous window's blocs; null for the first"),
				"blocs": array(object(schema{
					"id": str("A, B, …, kept while the bloc carries on"), "name": str("code of its most central member when it first appeared"),
					"members": array(object(schema{"state": str("state code"), "firmness": nullableNumber("share of bootstrap runs in which it stays"),
						"core": boolean("firmness at or above core")}, "state", "firmness", "core")),
				}, "id", "name", "members")),
				"unaligned": array(str("state code of a state of the graph in no bloc: no positive-weight edge (unsigned, kappa ≤ 0 or undefined with every other state)")),
			}, "from", "to", "roll_calls", "states", "blocs", "unaligned")),
		}, "metric", "signed", "resolution", "windows"),
		"Decisiveness": object(schema{
			"rule": schema{"type": "string", "enum": []string{"majority", "two-thirds"}}, "roll_calls": integer("roll calls in the window"),
			"judged": integer("roll calls where the coalition had a position"), "changed": integer("outcomes changed by voting as one"),
			"prevailed": integer("positions that prevailed as recorded"), "prevailed_as_one": integer("positions that prevailed voting as one"),
			"abstained": integer("judged roll calls where the position was to abstain"),
			"unjudged":  array(object(schema{"rcid": integer("roll-call id"), "reason": str("why it cannot be judged")}, "rcid", "reason")),
		}, "rule", "roll_calls", "judged", "changed", "prevailed", "prevailed_as_one", "abstained", "unjudged"),
		"CoalitionCandidates": object(with(windowProps(), schema{
			"seeds": array(str("state code")), "metric": str("alignment metric"), "cohesion": nullableNumber("Agreement Index of the seeds"),
			"rank_by":      schema{"type": "string", "enum": []string{"ideal"}, "description": "ideal when candidates are ranked by ideal-point distance; absent when by alignment"},
			"decisiveness": ref("Decisiveness"),
			"candidates": array(object(schema{"state": str("state code"), "alignment": nullableNumber("mean alignment with the members"),
				"votes": integer("fewest common votes with any member"), "ideal_distance": nullableNumber("distance of its ideal point to the seeds' mean (static fit over the window); null unless metric=ideal, rank_by=ideal or ideal=true"),
				"cohesion": nullableNumber("the coalition's Agreement Index if it joined")}, "state", "alignment", "votes", "cohesion")),
		}), "seeds", "metric", "cohesion", "decisiveness", "candidates"),
		"CoalitionBuild": object(with(windowProps(), schema{
			"seeds": array(str("state code")), "metric": str("alignment metric"),
			"rank_by": schema{"type": "string", "enum": []string{"ideal"}, "description": "ideal when each step adds the state with the nearest ideal point; absent when by alignment"},
			"steps": array(object(schema{"step": integer("0 for the seeds"), "added": str("state added at this step"), "members": array(str("state code")),
				"alignment": nullableNumber("the added state's mean alignment with the members before it"), "cohesion": nullableNumber("Agreement Index"),
				"decisiveness": ref("Decisiveness")}, "step", "added", "members", "alignment", "cohesion", "decisiveness")),
		}), "seeds", "metric", "steps"),
	})
}

// openAPI builds the OpenAPI 3 document from the server's endpoints: one
// operation per method and path, with its parameters, request body, who may
// call it (security) and its responses.
func (s *Server) openAPI() schema {
	paths := schema{}
	errResp := func(d string) schema {
		return schema{"description": d, "content": schema{"application/json": schema{"schema": ref("Error")}}}
	}
	for _, e := range s.endpoints {
		ps := []schema{}
		for _, p := range e.params() {
			in := p.In
			if in == "" {
				in = "query"
			}
			sc := schema{"type": p.Type}
			if p.Enum != nil {
				sc["enum"] = p.Enum
			}
			if p.Default != "" {
				sc["default"] = defaultValue(p)
			}
			if p.Type == "integer" {
				sc["minimum"] = p.Min
				if p.Max > 0 {
					sc["maximum"] = p.Max
				}
			}
			prm := schema{"name": p.Name, "in": in, "required": p.Required || in == "path", "description": p.Description, "schema": sc}
			if p.Repeated {
				prm["schema"] = schema{"type": "array", "items": sc, "maxItems": maxRepeats}
				prm["style"], prm["explode"] = "form", true
			}
			ps = append(ps, prm)
		}
		method := strings.ToLower(e.method())
		if method == "put" || method == "delete" {
			ps = append(ps, schema{"name": "If-Match", "in": "header", "required": true, "schema": schema{"type": "string"},
				"description": "the ETag of the version read (GET); the write fails with 412 if the record changed since"})
		}
		responses := schema{}
		status := e.Status
		if status == 0 {
			status = nethttp.StatusOK
		}
		ok := schema{"description": "the result"}
		if e.Result != "" {
			content := schema{"application/json": schema{"schema": ref(e.Result)}}
			if method == "get" {
				ok["description"] = "the result (JSON; CSV or text with format=csv or table)"
				content["text/csv"] = schema{"schema": schema{"type": "string"}}
				content["text/plain"] = schema{"schema": schema{"type": "string"}}
			}
			ok["content"] = content
		} else {
			ok["description"] = "done; no content"
		}
		if e.Registry && e.Result != "" && e.Result != "Me" && (method != "get" || strings.Contains(e.Path, "{id}") && !strings.HasSuffix(e.Path, "/history")) {
			ok["headers"] = schema{"ETag": schema{"description": "the record's version, to send back as If-Match", "schema": schema{"type": "string"}}}
		}
		responses[strconv.Itoa(status)] = ok
		responses["400"] = errResp("bad parameter or body: message and param say which and why")
		if e.Registry {
			responses["503"] = errResp("no agreements registry is configured")
		} else {
			responses["404"] = errResp("unknown state, or a state without votes")
			responses["503"] = errResp("the store holds no votes yet")
		}
		for code, d := range e.Errors {
			responses[strconv.Itoa(code)] = errResp(d)
		}
		op := schema{
			"operationId": operationID(method, e.Path),
			"summary":     e.Summary,
			"description": e.Description,
			"parameters":  ps,
			"responses":   responses,
		}
		if e.Body != "" {
			op["requestBody"] = schema{"required": true, "content": schema{"application/json": schema{"schema": ref(e.Body)}}}
		}
		if s.access(e) != "" {
			op["security"] = []schema{{"bearerToken": []string{}}, {"sessionCookie": []string{}, "csrfToken": []string{}}}
		}
		path := openAPIPath(e.Path)
		item, _ := paths[path].(schema)
		if item == nil {
			item = schema{}
			paths[path] = item
		}
		item[method] = op
	}
	return schema{
		"openapi": "3.0.3",
		"info": schema{"title": "concord API", "version": "1",
			"description": "Who stands with whom: alignment of states in the UN General Assembly, and the registry of agreements between them. " +
				"Same parameters and fields as the concord command line. Reads need no credentials (unless the server keeps its registry private); " +
				"writes need an API token (Authorization: Bearer) or a session cookie from /login with its CSRF token (X-CSRF-Token), " +
				"and a role allowed to make them: editors create and update, admins also delete agreements and commitments."},
		"paths": paths,
		"components": schema{"schemas": schemas(), "securitySchemes": schema{
			"bearerToken":   schema{"type": "http", "scheme": "bearer", "description": "an API token made with `concord users token create NAME`"},
			"sessionCookie": schema{"type": "apiKey", "in": "cookie", "name": sessionCookie, "description": "the session of a login at /login (web UI)"},
			"csrfToken":     schema{"type": "apiKey", "in": "header", "name": csrfHeader, "description": "the session's CSRF token, required on writes made with the session cookie"},
		}},
	}
}

func defaultValue(p param) any {
	switch p.Type {
	case "integer":
		n, _ := strconv.Atoi(p.Default)
		return n
	case "boolean":
		return p.Default == "true"
	}
	return p.Default
}

// openAPIPath turns a ServeMux pattern into an OpenAPI path (the same {name} syntax, without wildcards' "...").
func openAPIPath(p string) string { return strings.ReplaceAll(p, "...}", "}") }

// operationID names an operation after its path, prefixed by its method
// unless it is GET: /api/v1/align/issues → alignIssues, PUT
// /api/v1/agreements/{id} → putAgreementsId.
func operationID(method, p string) string {
	parts := strings.Split(strings.TrimPrefix(p, "/api/v1/"), "/")
	out := ""
	if method != "get" {
		out = method
		parts[0] = strings.ToUpper(parts[0][:1]) + parts[0][1:]
	}
	for i, x := range parts {
		x = strings.Trim(x, "{}")
		if x == "" {
			continue
		}
		if i > 0 {
			x = strings.ToUpper(x[:1]) + x[1:]
		}
		out += x
	}
	return out
}

func (s *Server) serveOpenAPI(w nethttp.ResponseWriter, r *nethttp.Request) {
	b, _ := json.MarshalIndent(s.openAPI(), "", "  ")
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(b)
}
