package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics (docs/web.md lists them).
type metrics struct {
	requests *prometheus.CounterVec   // by route and status code
	duration *prometheus.HistogramVec // by route
	signins  *prometheus.CounterVec   // by result: ok, failed, limited
	refused  *prometheus.CounterVec   // by reason: cross-origin, bad-token
}

func newMetrics(reg *prometheus.Registry) (*metrics, *prometheus.Registry, error) {
	if reg == nil {
		reg = prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tamledger_http_requests_total", Help: "HTTP requests served, by route pattern and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "tamledger_http_request_duration_seconds", Help: "Time to serve an HTTP request, by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route"}),
		signins: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tamledger_signin_attempts_total", Help: "Sign-in attempts, by result (ok, failed, limited).",
		}, []string{"result"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tamledger_http_refused_total", Help: "Requests refused before reaching a handler, by reason (cross-origin, bad-token).",
		}, []string{"reason"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.duration, m.signins, m.refused} {
		if err := reg.Register(c); err != nil {
			return nil, nil, err
		}
	}
	return m, reg, nil
}

func (s *Server) metricsHandler() http.Handler {
	return promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{})
}

// instrument counts and times requests by the route pattern that served
// them (so that ids in paths do not make a series each).
func (s *Server) instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		_, route := s.mux.Handler(r)
		if route == "" {
			route = "other"
		}
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		s.m.requests.WithLabelValues(route, strconv.Itoa(sw.status)).Inc()
		s.m.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}
