// ECharts for the county page, drawn from JSON embedded in data-chart attributes.
(function () {
  var narrow = function () { return window.innerWidth < 600; };
  function draw(id, build) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return;
    var data = JSON.parse(el.dataset.chart || "null");
    if (!data) { el.textContent = "暂无数据"; return; }
    var chart = echarts.init(el);
    chart.setOption(build(data, narrow()));
    el.dataset.drawn = "1";
    window.addEventListener("resize", function () { chart.resize(); });
  }
  var colours = ["#1f4e8c", "#c2410c"];
  var failing = "#b42318";
  document.addEventListener("DOMContentLoaded", function () {
    draw("cv-chart", function (d) {
      // the axis always reaches above the highest limit, so the limit lines show even
      // when every CV is far below them
      var top = 0;
      d.series.forEach(function (s) {
        top = Math.max(top, s.limit);
        s.data.forEach(function (v) { if (v !== null) top = Math.max(top, v); });
      });
      return {
        tooltip: { trigger: "axis" },
        legend: { top: 0, type: "scroll" },
        grid: { left: 44, right: narrow() ? 56 : 70, bottom: narrow() ? 90 : 60, top: 48, containLabel: false },
        xAxis: { type: "category", data: d.indicators,
                 axisLabel: { interval: 0, rotate: narrow() ? 45 : 20, fontSize: narrow() ? 10 : 12 } },
        yAxis: { type: "value", name: "差异系数", min: 0, max: Math.ceil(top * 1.2 * 20) / 20 },
        series: d.series.map(function (s, i) {
          return {
            name: s.name + "（上限" + s.limit.toFixed(2) + "）", type: "bar",
            data: s.data.map(function (v, j) {
              return { value: v, itemStyle: { color: s.fails[j] ? failing : colours[i % 2] } };
            }),
            itemStyle: { color: colours[i % 2] },
            markLine: { symbol: "none", lineStyle: { color: colours[i % 2], type: "dashed", width: 2 },
                        label: { formatter: s.name + "上限 " + s.limit.toFixed(2), position: "insideEndTop", color: colours[i % 2] },
                        data: [{ yAxis: s.limit }] }
          };
        })
      };
    });
    draw("trend-chart", function (d, narrow) {
      if (!d.length) return { title: { text: "暂无历年评估", left: "center", top: "middle", textStyle: { fontSize: 14, color: "#999" } } };
      return {
        tooltip: { trigger: "axis" },
        legend: { top: 0, type: "scroll" },
        grid: { left: 44, right: 44, bottom: 30, top: 48 },
        xAxis: { type: "category", data: d.map(function (r) { return r.year + (r.recognised ? " 通过" : " 未通过"); }) },
        yAxis: [{ type: "value", name: "最大差异系数", min: 0 }, { type: "value", name: "未达标条数", min: 0, minInterval: 1 }],
        series: [
          { name: "小学最大差异系数", type: "line", symbolSize: 10, data: d.map(function (r) { return r.cv.primary; }) },
          { name: "初中最大差异系数", type: "line", symbolSize: 10, data: d.map(function (r) { return r.cv.junior; }) },
          { name: "未达标条数", type: "bar", barMaxWidth: 36, yAxisIndex: 1, data: d.map(function (r) { return r.reasons; }), itemStyle: { color: "#f2b8b5" } }
        ]
      };
    });
  });
})();
