#include "wire_engine.hpp"

#include <stdexcept>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "failure.hpp"
#include "hook_registry.hpp"
#include "scenario_contexts.hpp"
#include "snippet.hpp"
#include "step_registry.hpp"

namespace dream::cucumber::internal {

namespace json = boost::json;

namespace {

json::array success() {
  return json::array{"success"};
}

json::array fail(const std::string& message, const std::string& exception) {
  json::object details{{"message", message}};
  if (!exception.empty()) {
    details["exception"] = exception;
  }
  return json::array{"fail", std::move(details)};
}

json::array respond(const InvokeResult& result) {
  switch (result.type) {
    case InvokeResult::Type::success:
      return success();
    case InvokeResult::Type::pending:
      return json::array{"pending", result.message};
    case InvokeResult::Type::failure:
      break;
  }
  return fail(result.message, result.exception);
}

std::string text_of(const json::value& value) {
  if (value.is_string()) {
    return std::string(value.get_string());
  }
  if (value.is_null()) {
    return {};  // an optional capture that did not match
  }
  throw std::invalid_argument("invoke: an argument is neither a string nor a table: " +
                              json::serialize(value));
}

InvokeArgs invoke_args(const json::array& raw) {
  std::vector<std::string> args;
  std::optional<Table> table;
  for (const auto& arg : raw) {
    if (!arg.is_array()) {
      args.push_back(text_of(arg));
      continue;
    }
    std::vector<Table::basic_type> rows;
    for (const auto& row : arg.get_array()) {
      Table::basic_type cells;
      for (const auto& cell : row.as_array()) {
        cells.push_back(text_of(cell));
      }
      rows.push_back(std::move(cells));
    }
    table.emplace(rows);
  }
  return InvokeArgs(std::move(args), std::move(table));
}

}  // namespace

json::array WireEngine::handle_line(const std::string& line) {
  json::value request;
  try {
    request = json::parse(line);
  } catch (const std::exception& e) {
    ++protocol_errors_;
    return fail("the step runner could not parse a wire message (" + std::string(e.what()) +
                    "): " + line.substr(0, 200),
                "dream::cucumber::ProtocolError");
  }
  return handle(request);
}

json::array WireEngine::handle(const json::value& request) {
  const auto* packet = request.if_array();
  if (packet == nullptr || packet->empty() || !packet->front().is_string()) {
    ++protocol_errors_;
    return fail("a wire message must be [\"name\", {params}], not " + json::serialize(request),
                "dream::cucumber::ProtocolError");
  }
  const std::string message(packet->front().get_string());
  const json::value* params = packet->size() > 1 ? &(*packet)[1] : nullptr;
  const auto object = [&]() -> const json::object& {
    if (params == nullptr || !params->is_object()) {
      throw std::invalid_argument("its parameters are not an object");
    }
    return params->get_object();
  };
  try {
    if (message == "step_matches") {
      return step_matches(object());
    }
    if (message == "begin_scenario") {
      return begin_scenario(params);
    }
    if (message == "invoke") {
      return invoke(object());
    }
    if (message == "end_scenario") {
      return end_scenario();
    }
    if (message == "snippet_text") {
      const auto& p = object();
      return json::array{"success",
                         snippet_text(std::string(p.at("step_keyword").as_string()),
                                      std::string(p.at("step_name").as_string()),
                                      p.contains("multiline_arg_class")
                                          ? std::string(p.at("multiline_arg_class").as_string())
                                          : std::string())};
    }
    if (message == "diff_ok" || message == "diff_failed") {
      return success();  // table diffs are cucumber's own business; nothing to do here
    }
  } catch (const std::exception& e) {
    ++protocol_errors_;
    return fail("malformed " + message + " message (" + e.what() +
                    "): " + json::serialize(request).substr(0, 200),
                "dream::cucumber::ProtocolError");
  }
  ++protocol_errors_;
  return fail("the step runner does not know the wire message '" + message + "'",
              "dream::cucumber::ProtocolError");
}

json::array WireEngine::step_matches(const json::object& params) {
  const std::string text(params.at("name_to_match").as_string());
  json::array matches;
  for (const auto& match : StepRegistry::instance().match(text)) {
    json::array args;
    for (const auto& arg : match.arguments) {
      json::object a;
      a["val"] = arg.value ? json::value(*arg.value) : json::value(nullptr);
      a["pos"] = arg.position ? json::value(*arg.position) : json::value(nullptr);
      args.push_back(std::move(a));
    }
    matches.push_back(json::object{{"id", std::to_string(match.step->id)},
                                   {"args", std::move(args)},
                                   {"source", match.step->source},
                                   {"regexp", match.step->pattern}});
  }
  return json::array{"success", std::move(matches)};
}

json::array WireEngine::begin_scenario(const json::value* params) {
  if (in_scenario_) {
    // Cucumber never does this; if it did, the last scenario still gets its teardown.
    (void)close_scenario();
  }
  tags_.clear();
  if (params != nullptr && params->is_object()) {
    if (const auto* tags = params->get_object().if_contains("tags")) {
      for (const auto& tag : tags->as_array()) {
        tags_.emplace_back(tag.as_string());
      }
    }
  }
  const auto& hooks = HookRegistry::instance();
  if (!before_all_ran_) {
    before_all_ran_ = true;
    before_all_ = hooks.run(HookKind::before_all, {});
    if (!before_all_.isSuccess()) {
      before_all_.message = "BEFORE_ALL failed, so no scenario can run: " + before_all_.message;
    }
  }
  if (!before_all_.isSuccess()) {
    return respond(before_all_);
  }
  begin_scenario_contexts();
  in_scenario_ = true;
  return respond(hooks.run(HookKind::before, tags_));
}

json::array WireEngine::invoke(const json::object& params) {
  const auto id_text = std::string(params.at("id").as_string());
  const auto* step = StepRegistry::instance().find(std::stoi(id_text));
  if (step == nullptr) {
    ++protocol_errors_;
    return fail("no step definition has id " + id_text, "dream::cucumber::ProtocolError");
  }
  InvokeArgs args;
  try {
    args = invoke_args(params.at("args").as_array());
  } catch (const std::exception& e) {
    return fail(e.what(), "std::invalid_argument");
  }
  const auto run = [&] {
    try {
      return step->make()->invoke(args);
    } catch (...) {  // the step object's own construction failed
      return result_of_current_exception();
    }
  };
  return respond(HookRegistry::instance().run_step(tags_, run));
}

json::array WireEngine::end_scenario() {
  return respond(close_scenario());
}

InvokeResult WireEngine::close_scenario() {
  if (!in_scenario_) {
    return InvokeResult::success();
  }
  auto result = HookRegistry::instance().run(HookKind::after, tags_);
  end_scenario_contexts();
  in_scenario_ = false;
  return result;
}

InvokeResult WireEngine::finish() {
  auto result = close_scenario();
  if (before_all_ran_) {
    before_all_ran_ = false;
    auto after_all = HookRegistry::instance().run(HookKind::after_all, {});
    if (result.isSuccess()) {
      result = std::move(after_all);
    }
  }
  return result;
}

}  // namespace dream::cucumber::internal
