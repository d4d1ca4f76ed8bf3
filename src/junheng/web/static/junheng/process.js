// Charts of the creation process, drawn from JSON in data-chart attributes.
(function () {
  function draw(id, build) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return;
    var data = JSON.parse(el.dataset.chart || "null");
    if (!data) { el.textContent = "暂无数据"; return; }
    var chart = echarts.init(el);
    chart.setOption(build(data));
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    draw("plan-chart", function (d) {
      var names = Object.keys(d.series);
      var series = names.map(function (n, i) {
        return { name: n, type: i === 0 ? "bar" : "line", data: d.series[n] };
      });
      series.push({ name: "目标", type: "line", step: "end", data: d.target, symbol: "none",
                    lineStyle: { type: "dashed", color: "#b42318", width: 2 }, itemStyle: { color: "#b42318" } });
      return {
        tooltip: { trigger: "axis" },
        legend: { top: 0, type: "scroll" },
        grid: { left: 36, right: 12, bottom: 30, top: 50 },
        xAxis: { type: "category", data: d.years },
        yAxis: { type: "value", name: "区县数（累计）", minInterval: 1 },
        series: series
      };
    });
    draw("monitor-chart", function (d) {
      return {
        tooltip: { trigger: "axis" },
        legend: { top: 0, type: "scroll" },
        grid: { left: 40, right: 12, bottom: 30, top: 50 },
        xAxis: { type: "category", data: d.years },
        yAxis: { type: "value", name: "最大差异系数" },
        series: d.series.map(function (s) {
          return { name: s.name, type: "line", data: s.data, connectNulls: true,
                   markLine: { symbol: "none", lineStyle: { type: "dashed" }, label: { formatter: "上限 " + s.limit }, data: [{ yAxis: s.limit }] } };
        })
      };
    });
  });
})();
