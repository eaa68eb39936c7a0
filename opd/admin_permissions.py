"""The admin asks the same ``rules`` permissions as the pages, with the object in hand."""

from django.contrib.auth import get_permission_codename


class RulesAdminMixin:
    """``has_*_permission`` of a ModelAdmin or inline, answered by the registered rules.

    Django's defaults ask without the object, so a refusal for one agency or one stage had
    to be a method override; here it is a rule like any other. For an inline, ``obj`` is the
    parent object, as Django passes it.
    """

    def _rule(self, request, action, obj=None) -> bool:
        name = f"{self.opts.app_label}.{get_permission_codename(action, self.opts)}"
        return request.user.has_perm(name, obj)

    def has_module_permission(self, request):
        return request.user.has_module_perms(self.opts.app_label)

    def has_view_permission(self, request, obj=None):
        return self._rule(request, "view", obj)

    def has_add_permission(self, request, obj=None):
        return self._rule(request, "add", obj)

    def has_change_permission(self, request, obj=None):
        return self._rule(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self._rule(request, "delete", obj)
