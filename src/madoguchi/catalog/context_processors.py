from madoguchi.catalog.registry import current_catalog


def municipality(request):
    return {"municipality": current_catalog().municipality}
