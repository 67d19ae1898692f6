import { describe, expect, it } from 'vitest';
import { extractRoutes } from '../../../../src/analyzers/routes/index.ts';
import { parsedFile } from '../failure-modes/change-set-builder.ts';
import { table } from './route-table-format.ts';

describe('route extraction: Python', () => {
  it('FastAPI: router prefixes and dependencies, Depends/Security parameters, api_route methods', async () => {
    const file = await parsedFile(
      'app/items.py',
      [
        'from fastapi import APIRouter, Depends, FastAPI, Security', // 1
        'app = FastAPI()',
        'router = APIRouter(prefix="/items", dependencies=[Depends(verify_token)])',
        'public = APIRouter(prefix="/public")',
        '@router.post("/")', // 5
        'def create(): ...',
        '@public.delete("/{item_id}")',
        'def remove(item_id: int, db = Depends(get_db)): ...',
        '@public.put("/{item_id}")',
        'def update(item_id: int, user: User = Depends(get_current_active_user)): ...', // 10
        '@app.api_route("/sync", methods=["POST", "PUT"])',
        'def sync(user = Security(oauth2_scheme)): ...',
      ].join('\n'),
    );
    expect(table(extractRoutes(file))).toEqual([
      'POST /items create auth:verify_token router@5',
      'DELETE /public/{item_id} remove open router@7',
      'PUT /public/{item_id} update auth:get_current_active_user router@9',
      'POST /sync sync auth:Security(...) app@11',
      'PUT /sync sync auth:Security(...) app@11',
    ]);
  });

  it('Flask: route methods, blueprints with url_prefix, login_required and before_request guards', async () => {
    const file = await parsedFile(
      'app/views.py',
      [
        'from flask import Blueprint, Flask', // 1
        'app = Flask(__name__)',
        'admin = Blueprint("admin", __name__, url_prefix="/admin")',
        '@app.route("/posts", methods=["GET", "POST"])',
        '@login_required', // 5
        'def posts(): ...',
        '@app.route("/about")',
        'def about(): ...',
        '@admin.before_request',
        'def require_admin():', // 10
        '    if not current_user.is_admin: abort(403)',
        '@admin.post("/purge")',
        'def purge(): ...',
      ].join('\n'),
    );
    expect(table(extractRoutes(file))).toEqual([
      'GET /posts posts auth:@login_required app@4',
      'POST /posts posts auth:@login_required app@4',
      'GET /about about open app@7',
      'POST /admin/purge purge auth:require_admin router@12',
    ]);
  });

  it('Django: path() and re_path() entries with any method', async () => {
    const file = await parsedFile(
      'shop/urls.py',
      [
        'from django.urls import include, path, re_path',
        'urlpatterns = [',
        '    path("orders/<int:pk>/", views.order_detail, name="order-detail"),',
        '    path("account/", login_required(views.account)),',
        '    re_path(r"^legacy/(?P<slug>[-\\w]+)/$", views.legacy),',
        '    path("api/", include("api.urls")),',
        ']',
      ].join('\n'),
    );
    expect(table(extractRoutes(file))).toEqual([
      'ANY /orders/<int:pk> views.order_detail open router@3',
      'ANY /account login_required(views.account) auth:login_required router@4',
      'ANY /legacy/(?P<slug>[-\\w]+) views.legacy open router@5',
      'ANY /api include("api.urls") open router@6',
    ]);
  });
});

describe('route extraction: Go', () => {
  it('gin groups with middleware, Use, and the application root', async () => {
    const file = await parsedFile(
      'cmd/api/main.go',
      [
        'package main', // 1
        'import "github.com/gin-gonic/gin"',
        'func main() {',
        '  r := gin.Default()',
        '  r.GET("/health", health)', // 5
        '  api := r.Group("/api/v1", AuthRequired())',
        '  api.POST("/orders", handlers.CreateOrder)',
        '  admin := r.Group("/admin")',
        '  admin.DELETE("/users/:id", handlers.DeleteUser)',
        '  admin.Use(RequireAdmin())', // 10
        '  admin.POST("/users", handlers.CreateUser)',
        '  r.Handle("PATCH", "/things/:id", patchThing)',
        '}',
      ].join('\n'),
    );
    expect(table(extractRoutes(file))).toEqual([
      'GET /health health open app@5',
      'POST /api/v1/orders handlers.CreateOrder auth:AuthRequired app@7',
      'DELETE /admin/users/:id handlers.DeleteUser open app@9',
      'POST /admin/users handlers.CreateUser auth:RequireAdmin app@11',
      'PATCH /things/:id patchThing open app@12',
    ]);
  });

  it('chi Route/Group/With, net/http 1.22 patterns, gorilla Methods, echo middleware after the handler', async () => {
    const chi = await parsedFile(
      'internal/http/router.go',
      [
        'package http', // 1
        'import "github.com/go-chi/chi/v5"',
        'func Routes() http.Handler {',
        '  r := chi.NewRouter()',
        '  r.Route("/accounts", func(r chi.Router) {', // 5
        '    r.Get("/", listAccounts)',
        '    r.With(jwtauth.Authenticator).Post("/", createAccount)',
        '    r.Group(func(r chi.Router) {',
        '      r.Use(RequireSession)',
        '      r.Delete("/{id}", deleteAccount)', // 10
        '    })',
        '  })',
        '  return r',
        '}',
      ].join('\n'),
    );
    expect(table(extractRoutes(chi))).toEqual([
      'GET /accounts listAccounts open app@6',
      'POST /accounts createAccount auth:jwtauth app@7',
      'DELETE /accounts/{id} deleteAccount auth:RequireSession app@10',
    ]);
    const std = await parsedFile(
      'cmd/server/main.go',
      [
        'package main', // 1
        'import ("net/http"; "github.com/gorilla/mux"; "github.com/labstack/echo/v4")',
        'func main() {',
        '  mux1 := http.NewServeMux()',
        '  mux1.HandleFunc("POST /items/{id}", createItem)', // 5
        '  mux1.Handle("/admin/", requireAuth(adminHandler))',
        '  http.HandleFunc("/ping", ping)',
        '  g := mux.NewRouter()',
        '  g.HandleFunc("/orders", createOrder).Methods("POST")',
        '  e := echo.New()', // 10
        '  e.POST("/users", createUser, middleware.JWT(secret))',
        '}',
      ].join('\n'),
    );
    expect(table(extractRoutes(std))).toEqual([
      'POST /items/{id} createItem open app@5',
      'ANY /admin adminHandler auth:requireAuth app@6',
      'ANY /ping ping open app@7',
      'POST /orders createOrder open app@9',
      'POST /users createUser auth:JWT app@11',
    ]);
  });
});

describe('route extraction: Spring', () => {
  it('class prefixes, mapping annotations, RequestMapping methods and method security', async () => {
    const file = await parsedFile(
      'src/main/java/shop/OrderController.java',
      [
        '@RestController', // 1
        '@RequestMapping("/api/orders")',
        'public class OrderController {',
        '  @GetMapping("/{id}")',
        '  public Order get(@PathVariable long id) { return null; }', // 5
        '  @PostMapping',
        '  @PreAuthorize("hasRole(\'ADMIN\')")',
        '  public Order create(@RequestBody Order o) { return o; }',
        '  @RequestMapping(value = {"/{id}/cancel", "/{id}/void"}, method = RequestMethod.POST)',
        '  public void cancel(@AuthenticationPrincipal User user) {}', // 10
        '  @DeleteMapping(path = "/{id}")',
        '  @PermitAll',
        '  public void remove() {}',
        '}',
      ].join('\n'),
    );
    const routes = extractRoutes(file);
    expect(table(routes)).toEqual([
      'GET /api/orders/{id} OrderController.get open router@4',
      'POST /api/orders OrderController.create auth:@PreAuthorize router@6',
      'POST /api/orders/{id}/cancel OrderController.cancel auth:@AuthenticationPrincipal router@9',
      'POST /api/orders/{id}/void OrderController.cancel auth:@AuthenticationPrincipal router@9',
      'DELETE /api/orders/{id} OrderController.remove open router@11',
    ]);
    expect(
      routes.filter((r) => r.explicitlyPublic).map((r) => r.method),
    ).toEqual(['DELETE']);
  });
});
