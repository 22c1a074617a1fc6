package http

import (
	nethttp "net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics, in a registry of its own so that several servers can run in one process.
type metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	matrixLoads prometheus.Counter
	loadSeconds prometheus.Gauge
	rollCalls   prometheus.Gauge
	states      prometheus.Gauge
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "concord_http_requests_total", Help: "HTTP requests by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "concord_http_request_duration_seconds", Help: "Time to answer an HTTP request, by route pattern.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
		matrixLoads: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "concord_matrix_loads_total", Help: "Times the vote matrix was loaded from the store.",
		}),
		loadSeconds: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "concord_matrix_load_seconds", Help: "Time the last load of the vote matrix took.",
		}),
		rollCalls: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "concord_matrix_roll_calls", Help: "Roll calls in the loaded vote matrix.",
		}),
		states: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "concord_matrix_states", Help: "States in the loaded vote matrix.",
		}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.matrixLoads, m.loadSeconds, m.rollCalls, m.states,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) observe(route, method string, code int, d time.Duration) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(code)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
}

func (m *metrics) handler() nethttp.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
